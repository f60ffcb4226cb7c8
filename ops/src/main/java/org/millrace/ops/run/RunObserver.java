package org.millrace.ops.run;

import org.millrace.evaluation.EvaluatorActor;
import org.millrace.training.TrainerActor;

/** Callbacks from the run's actors to the code that drives the run (called on actor threads). */
public interface RunObserver {
    void onTrainer(TrainerActor.Event event);

    void onEvaluated(EvaluatorActor.Evaluated evaluated);
}
