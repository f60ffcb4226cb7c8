package org.millrace.ops.cluster;

import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.millrace.evaluation.EvaluatorActor;
import org.millrace.training.TrainerActor;

/**
 * How trainers and evaluators find each other: each registers with the receptionist under its key,
 * and the others subscribe to the key (the listing follows nodes joining and leaving).
 */
public final class ServiceKeys {
    public static final ServiceKey<TrainerActor.Command> TRAINERS = ServiceKey.create(TrainerActor.Command.class, "millrace-trainers");
    public static final ServiceKey<EvaluatorActor.Command> EVALUATORS = ServiceKey.create(EvaluatorActor.Command.class, "millrace-evaluators");

    private ServiceKeys() {
    }
}
