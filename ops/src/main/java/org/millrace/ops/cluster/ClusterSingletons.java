package org.millrace.ops.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Actors of which the cluster runs exactly one (the curriculum controller, the DiLoCo coordinator): a
 * role supplies the behaviour, the singleton runs on the oldest node with that role, and every node
 * that calls {@link #start} gets a proxy to it, wherever it runs. When that node fails, the singleton
 * starts on the next oldest once the split-brain resolver has downed the failed one.
 */
public final class ClusterSingletons {

    /**
     * One singleton.
     *
     * @param name     unique in the cluster
     * @param role     the nodes that may host it
     * @param behavior the actor (started afresh after a move: keep its state in Kafka or a checkpoint)
     * @param stop     the message it stops on at hand-over (it finishes what it does first)
     */
    public record Spec<T>(String name, NodeRole role, Behavior<T> behavior, T stop) {
    }

    /** Curriculum controller: one for the cluster, near the evaluators whose results it reads. */
    public static final String CURRICULUM_CONTROLLER = "millrace-curriculum-controller";
    /** DiLoCo coordinator: averages the trainer workers' deltas. */
    public static final String DILOCO_COORDINATOR = "millrace-diloco-coordinator";

    private ClusterSingletons() {
    }

    /** Starts (or joins) the singleton and returns a proxy that reaches it wherever it runs. */
    public static <T> ActorRef<T> start(ActorSystem<?> system, Spec<T> spec) {
        SingletonActor<T> actor = SingletonActor.of(spec.behavior(), spec.name())
                .withSettings(ClusterSingletonSettings.create(system).withRole(spec.role().wireName()));
        if (spec.stop() != null) {
            actor = actor.withStopMessage(spec.stop());
        }
        return ClusterSingleton.get(system).init(actor);
    }
}
