package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.millrace.common.EvalResult;
import org.millrace.common.Json;
import org.millrace.common.Topics;
import org.millrace.evaluation.report.EvalReport;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.run.TopicReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace eval report}: reads {@code millrace.eval.results} and writes the Markdown report and plots of a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the evaluation report of a run (report.md and PNG plots of every metric against training tokens).")
public final class EvalReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--run", paramLabel = "RUN", description = "The run (default: millrace.run-id).")
    String run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: <data-dir>/reports/<run>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Config config = options.settings();
        String runId = run != null ? run : config.getString("millrace.run-id");
        Path dir = out != null ? out : CommonOptions.dataDir(config).resolve("reports").resolve(runId);
        List<EvalResult> results;
        try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config))) {
            Topics topics = Topics.fromConfig(config);
            kafka.ensureTopics(topics);
            results = TopicReader.readAll(kafka.clientProperties(), topics.evalResults(), Duration.ofSeconds(60)).stream()
                    .map(r -> Json.read(r.value(), EvalResult.class)).toList();
        }
        if (results.stream().noneMatch(r -> r.run().equals(runId))) {
            throw new IllegalArgumentException("millrace.eval.results holds no results of run '" + runId + "'; runs there: "
                    + EvalReport.runs(results));
        }
        EvalReport.Written w = EvalReport.write(results, runId, dir);
        System.out.println("wrote " + w.markdown() + " and " + w.plots().size() + " plots (" + w.series() + " task/metric series over "
                + w.checkpoints() + " checkpoints)");
        return 0;
    }
}
