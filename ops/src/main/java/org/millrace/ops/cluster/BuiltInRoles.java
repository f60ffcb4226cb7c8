package org.millrace.ops.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.millrace.common.CheckpointEventFollower;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.Tokenizer;
import org.millrace.evaluation.EvalResultPublisher;
import org.millrace.evaluation.EvalSettings;
import org.millrace.evaluation.EvalSuite;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.ops.ServingTokenizers;
import org.millrace.processing.tokenizer.Tokenizers;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.DocumentSink;
import org.millrace.producers.Ingest;
import org.millrace.producers.IngestListener;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.serving.ServingService;
import org.millrace.serving.ServingSettings;
import org.millrace.training.TrainerActor;
import org.millrace.training.TrainerSettings;
import org.millrace.training.TrainerSupervisor;
import org.millrace.training.TrainingLoop;
import org.millrace.training.model.ComputeSettings;
import org.millrace.training.model.GptTrainer;

/**
 * The roles a node runs with the components Millrace has already: ingest (the configured paths, once),
 * train (a supervised trainer, registered with the receptionist), eval (an evaluator following checkpoint
 * events, registered with the receptionist), serve (the OpenAI-compatible API on the latest checkpoint).
 * DiLoCo workers and the cluster singletons plug in as {@link NodeComponent}s.
 */
final class BuiltInRoles {
    private BuiltInRoles() {
    }

    static List<AutoCloseable> start(NodeContext c) throws Exception {
        List<AutoCloseable> out = new ArrayList<>();
        if (c.has(NodeRole.INGEST)) {
            out.add(ingest(c));
        }
        if (c.has(NodeRole.TRAIN) && c.config().getBoolean("millrace.cluster.train.built-in")) {
            out.add(train(c));
        }
        if (c.has(NodeRole.EVAL)) {
            out.add(eval(c));
        }
        if (c.has(NodeRole.SERVE)) {
            out.add(serve(c));
        }
        return out;
    }

    /** Publishes {@code millrace.cluster.ingest.paths} once, in the background (a restarted node publishes them again: documents are keyed by id, and curation drops the repeats as exact duplicates). */
    private static AutoCloseable ingest(NodeContext c) {
        List<Path> paths = c.config().getStringList("millrace.cluster.ingest.paths").stream().map(Path::of).toList();
        if (paths.isEmpty()) {
            System.out.println("millrace node: ingest role with no millrace.cluster.ingest.paths: publishing nothing (use 'millrace ingest')");
            return () -> { };
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "millrace-node-ingest"));
        executor.submit(() -> {
            try (DocumentPublisher publisher = new DocumentPublisher(c.kafka(), c.topics())) {
                var total = Ingest.fromConfig(c.config(), new IngestListener() { })
                        .run(Readers.forPaths(paths, ReaderOptions.fromConfig(c.config())), DocumentSink.of(publisher));
                System.out.println("millrace node: ingested " + total);
            } catch (RuntimeException e) {
                System.out.println("millrace node: ingest failed: " + e.getMessage());
            }
        });
        return executor::shutdownNow;
    }

    private static AutoCloseable train(NodeContext c) {
        TrainerSettings trainer = TrainerSettings.fromConfig(c.config());
        Tokenizer tokenizer = Tokenizers.fromConfig(c.config(), c.dataDir());
        TrainerActor.LoopFactory loops = listener -> new TrainingLoop(trainer, GptTrainer.fromConfig(c.config(), tokenizer.vocabSize()),
                tokenizer.name(), c.topics(), c.kafka(), c.dataDir().resolve("checkpoints"), listener);
        java.util.concurrent.atomic.AtomicReference<ActorRef<TrainerActor.Command>> trainerRef = new java.util.concurrent.atomic.AtomicReference<>();
        Behavior<TrainerActor.Event> guardian = Behaviors.setup(ctx -> {
            ActorRef<TrainerActor.Command> t = ctx.spawn(TrainerSupervisor.supervised(loops, ctx.getSelf()), "trainer");
            trainerRef.set(t);
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.TRAINERS, t));
            return Behaviors.receiveMessage(event -> {
                if (event instanceof TrainerActor.Checkpointed cp) {
                    System.out.println("millrace node: checkpoint " + cp.checkpoint());
                } else if (event instanceof TrainerActor.Failed f) {
                    System.out.println("millrace node: trainer failed: " + f.reason());
                }
                return Behaviors.same();
            });
        });
        c.system().systemActorOf(guardian, "millrace-trainer-role", Props.empty());
        System.out.println("millrace node: trainer started (run " + trainer.run() + ")");
        return () -> {
            ActorRef<TrainerActor.Command> t = trainerRef.get();
            if (t != null) {
                t.tell(new TrainerActor.Stop()); // it checkpoints after the current step
            }
        };
    }

    private static AutoCloseable eval(NodeContext c) {
        EvalSetRegistry registry = EvalSetRegistry.open(c.config());
        if (registry.tasks().isEmpty()) {
            System.out.println("millrace node: eval role without evaluation sets ('millrace eval sets' builds them): evaluating nothing");
            return () -> { };
        }
        Tokenizer tokenizer = Tokenizers.fromConfig(c.config(), c.dataDir());
        EvalSuite suite = EvalSuite.fromRegistry(registry, EvalSettings.fromConfig(c.config()), tokenizer);
        EvalResultPublisher publisher = new EvalResultPublisher(c.kafka(), c.topics().evalResults());
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "millrace-evaluator"));
        Behavior<EvaluatorActor.Evaluated> guardian = Behaviors.setup(ctx -> {
            ActorRef<EvaluatorActor.Command> e = ctx.spawn(EvaluatorActor.create(suite, publisher, executor, ctx.getSelf()), "evaluator");
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.EVALUATORS, e));
            return Behaviors.receiveMessage(done -> {
                System.out.println("millrace node: evaluated step " + done.event().step());
                return Behaviors.same();
            });
        });
        c.system().systemActorOf(guardian, "millrace-eval-role", Props.empty());
        String run = c.config().getString("millrace.run-id");
        // Every evaluator node evaluates every checkpoint of the run (each its own tasks' share is a later step).
        CheckpointEventFollower subscriber = new CheckpointEventFollower(c.kafka(), c.topics().trainEvents(),
                "millrace-evaluator-events", run, false,
                event -> c.system().receptionist().tell(Receptionist.find(ServiceKeys.EVALUATORS,
                        c.system().systemActorOf(forward(event), "find-" + event.step() + "-" + System.nanoTime(), Props.empty()))));
        System.out.println("millrace node: evaluator started (" + registry.tasks().size() + " tasks)");
        return () -> {
            subscriber.close();
            executor.shutdownNow();
            publisher.close();
        };
    }

    /** Sends a checkpoint event to the evaluators of this node that the receptionist lists. */
    private static Behavior<Receptionist.Listing> forward(org.millrace.common.TrainEvent event) {
        return Behaviors.receive((ctx, listing) -> {
            for (ActorRef<EvaluatorActor.Command> e : listing.getServiceInstances(ServiceKeys.EVALUATORS)) {
                if (e.path().address().hasLocalScope()) {
                    e.tell(new EvaluatorActor.Evaluate(event));
                }
            }
            return Behaviors.stopped();
        });
    }

    /** Serving; a node whose serving cannot start (a taken port, say) says why and runs its other roles. */
    private static AutoCloseable serve(NodeContext c) {
        try {
            ServingSettings settings = ServingSettings.fromConfig(c.config());
            ServingService service = ServingService.start(c.config(), settings,
                    new ServingService.Source(null, c.dataDir().resolve("checkpoints"), c.config().getString("millrace.run-id"), c.kafka(),
                            c.topics().trainEvents()),
                    ServingTokenizers.loader(c.config(), c.dataDir()), ComputeSettings.fromConfig(c.config()).resolveDevice());
            System.out.println("millrace node: serving at " + service.baseUrl() + "/v1");
            return service::close;
        } catch (RuntimeException e) {
            System.out.println("millrace node: not serving: " + e.getMessage());
            return () -> { };
        }
    }
}
