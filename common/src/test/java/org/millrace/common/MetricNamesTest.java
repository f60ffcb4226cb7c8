package org.millrace.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.common.MetricNames.Type;

class MetricNamesTest {

    private static List<String> check(String name, Type type, String... labels) {
        return MetricNames.problems(name, type, "help", List.of(labels));
    }

    private static void assertProblem(String fragment, List<String> problems) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), "expected a problem with '" + fragment + "': " + problems);
    }

    @Test
    void namesOfTheSchemePass() {
        assertEquals(List.of(), check("millrace_curation_filter_documents_total", Type.COUNTER, "filter", "outcome", "reason"));
        assertEquals(List.of(), check("millrace_train_data_wait_seconds_total", Type.COUNTER, "run"));
        assertEquals(List.of(), check("millrace_train_step_seconds", Type.HISTOGRAM, "run"));
        assertEquals(List.of(), check("millrace_train_loss", Type.GAUGE, "run"));
        assertEquals(List.of(), check("millrace_train_tokens_per_second", Type.GAUGE, "run"));
        assertEquals(List.of(), check("millrace_kafka_consumer_lag_records", Type.GAUGE, "topic", "group"));
        assertEquals(List.of(), check("millrace_memory_native_bytes", Type.GAUGE));
    }

    @Test
    void eachRuleNamesWhatIsWrong() {
        assertProblem("does not start with millrace_", check("curation_documents_total", Type.COUNTER));
        assertProblem("snake case", check("millrace_train_Loss", Type.GAUGE));
        assertProblem("snake case", check("millrace_train__loss", Type.GAUGE));
        assertProblem("area 'trainer'", check("millrace_trainer_loss", Type.GAUGE));
        assertProblem("names no thing", check("millrace_train_total", Type.COUNTER));
        assertProblem("ends with _total", check("millrace_train_steps", Type.COUNTER));
        assertProblem("only counters end with _total", check("millrace_train_steps_total", Type.GAUGE));
        assertProblem("use _seconds", check("millrace_train_step_ms", Type.HISTOGRAM));
        assertProblem("use _bytes", check("millrace_memory_native_mb", Type.GAUGE));
        assertProblem("use _ratio", check("millrace_train_data_wait_percent", Type.GAUGE));
        assertProblem("the unit 'seconds' is the last word", check("millrace_train_seconds_waited_total", Type.COUNTER));
        assertProblem("names no unit", check("millrace_serving_request_latency", Type.HISTOGRAM));
        assertProblem("named after its unit", check("millrace_serving_request_durations", Type.HISTOGRAM));
        assertProblem("must not end with _count", check("millrace_curation_documents_count", Type.GAUGE));
        assertProblem("label 'Topic'", check("millrace_kafka_consumer_lag_records", Type.GAUGE, "Topic"));
        assertProblem("reserved for histograms", check("millrace_kafka_consumer_lag_records", Type.GAUGE, "le"));
        assertProblem("no help text", MetricNames.problems("millrace_train_loss", Type.GAUGE, " ", List.of()));
    }

    @Test
    void aRateMayNameItsUnitBeforePerSecond() {
        assertEquals(List.of(), check("millrace_ingest_bytes_per_second", Type.GAUGE));
    }
}
