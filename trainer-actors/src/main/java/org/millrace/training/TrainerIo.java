package org.millrace.training;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.millrace.common.Topics;
import org.millrace.common.TrainEvent;
import org.millrace.training.curriculum.CurriculumSubscriber;
import org.millrace.training.curriculum.DryPolicy;
import org.millrace.training.curriculum.UpdateSource;
import org.millrace.training.feed.BatchFeed;
import org.millrace.training.feed.BatchSource;
import org.millrace.training.feed.FeedStart;

/**
 * What a training loop reads and writes besides its checkpoints: batches, live mixtures, events. Opened
 * afresh by every run of the loop (after it has resumed, so that each starts where the checkpoint says).
 *
 * @param feeds   opens the batch source at a position
 * @param updates opens the source of live mixtures at offsets ({@code topic:partition} → next offset)
 * @param events  opens where train events go
 */
public record TrainerIo(Function<FeedStart, BatchSource> feeds, Function<Map<String, Long>, UpdateSource> updates,
                        Supplier<EventSink> events) {

    /** Where train events go. */
    public interface EventSink extends AutoCloseable {
        void publish(TrainEvent event);

        @Override
        void close();
    }

    /** Batches from the bucket topics, mixtures from the curriculum topic, events to the train events topic. */
    public static TrainerIo kafka(Map<String, Object> kafka, Topics topics, TrainerSettings settings) {
        Map<String, String> topicOfBucket = new java.util.LinkedHashMap<>();
        topics.buckets().forEach(b -> topicOfBucket.put(b, topics.batches(b)));
        boolean repeat = settings.curriculum().onDry() == DryPolicy.REPEAT;
        return new TrainerIo(
                start -> new BatchFeed(kafka, topicOfBucket, start, settings.prefetch(), repeat, settings.dryWait()),
                offsets -> new CurriculumSubscriber(kafka, topics.curriculum(), settings.run(), offsets),
                () -> new TrainEventPublisher(kafka, topics.trainEvents()));
    }

    /** Batches from {@code feeds}; no live mixtures; events dropped. */
    public static TrainerIo offline(Function<FeedStart, BatchSource> feeds) {
        return new TrainerIo(feeds, offsets -> UpdateSource.none(), () -> new EventSink() {
            @Override
            public void publish(TrainEvent event) {
            }

            @Override
            public void close() {
            }
        });
    }
}
