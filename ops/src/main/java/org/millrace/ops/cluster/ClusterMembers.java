package org.millrace.ops.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.millrace.ops.dashboard.Tick;

/** The cluster's membership: a line on stdout for every change, and the dashboard's view of the members. */
public final class ClusterMembers {
    private ClusterMembers() {
    }

    /** An actor that prints membership and reachability changes (tests and operators read them). */
    public static Behavior<ClusterEvent.ClusterDomainEvent> log() {
        return Behaviors.setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.ClusterDomainEvent.class));
            return Behaviors.receiveMessage(event -> {
                String line = null;
                if (event instanceof ClusterEvent.MemberUp e) {
                    line = "member up " + describe(e.member());
                } else if (event instanceof ClusterEvent.MemberRemoved e) {
                    line = "member removed " + describe(e.member());
                } else if (event instanceof ClusterEvent.UnreachableMember e) {
                    line = "member unreachable " + describe(e.member());
                } else if (event instanceof ClusterEvent.ReachableMember e) {
                    line = "member reachable again " + describe(e.member());
                } else if (event instanceof ClusterEvent.MemberDowned e) {
                    line = "member downed " + describe(e.member());
                }
                if (line != null) {
                    System.out.println("millrace node: " + line);
                }
                return Behaviors.same();
            });
        });
    }

    static String describe(Member m) {
        return m.address() + " roles " + new java.util.TreeSet<>(m.getRoles()).toString().replace(" ", "")
                .replace("dc-default,", "").replace(",dc-default", "");
    }

    /** The dashboard's view: every member with its roles and status. */
    public static Supplier<Tick.Cluster> view(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        return () -> {
            List<Tick.Member> members = new ArrayList<>();
            for (Member m : cluster.state().getMembers()) {
                List<String> roles = m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList();
                members.add(new Tick.Member(m.address().toString(), roles, m.status().toString().toLowerCase(java.util.Locale.ROOT), 0L));
            }
            return new Tick.Cluster("pekko cluster", members);
        };
    }
}
