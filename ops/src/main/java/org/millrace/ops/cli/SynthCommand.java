package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.ops.run.ProgressLine;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.DocumentSink;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.synth.ProgrammaticSynth;
import org.millrace.producers.synth.PromptSeeds;
import org.millrace.producers.synth.SynthListener;
import org.millrace.producers.synth.SynthSettings;
import org.millrace.producers.synth.SynthStats;
import org.millrace.producers.synth.TeacherSettings;
import org.millrace.producers.synth.TeacherSynth;
import org.millrace.producers.synth.WordNetGlosses;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millrace synth}: synthetic textbooks and exercises into {@code millrace.docs.synthetic}. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generate synthetic textbook sections and exercises into millrace.docs.synthetic, with the generator,",
                "seed and prompt in each document's metadata. Programmatic mode (default) works offline and computes every",
                "answer; teacher mode asks any OpenAI-compatible /v1/chat/completions endpoint.",
                "Exit code 0 when the run finished, 1 when teacher mode published nothing (every prompt failed)."})
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--mode", paramLabel = "programmatic|teacher", description = "Generator (default: millrace.synth.mode).")
    String mode;

    @Option(names = "--count", paramLabel = "N", description = "Documents to generate (default: millrace.synth.count).")
    Long count;

    @Option(names = "--seed", paramLabel = "S", description = "Seed: the same seed gives the same documents or prompts (default: millrace.synth.seed).")
    Long seed;

    @Option(names = "--first", paramLabel = "I", defaultValue = "0",
            description = "Index of the first document, to continue an earlier run of the same seed (default: 0).")
    long first;

    @Option(names = "--teacher-url", paramLabel = "URL", description = "Teacher endpoint, e.g. http://127.0.0.1:8000/v1 (default: millrace.synth.teacher.url).")
    URI teacherUrl;

    @Option(names = "--teacher-model", paramLabel = "NAME", description = "Teacher model name (default: millrace.synth.teacher.model).")
    String teacherModel;

    @Option(names = "--api-key-env", paramLabel = "VAR", description = "Environment variable holding the teacher's API key.")
    String apiKeyEnv;

    @Option(names = "--concurrency", paramLabel = "N", description = "Teacher requests in flight at most.")
    Integer concurrency;

    @Option(names = "--requests-per-second", paramLabel = "R", description = "Teacher requests started per second at most.")
    Double requestsPerSecond;

    @Override
    public Integer call() throws Exception {
        Config config = options.settings();
        SynthSettings defaults = SynthSettings.fromConfig(config);
        SynthSettings.Mode m = mode == null ? defaults.mode() : parseMode();
        long n = count == null ? defaults.count() : count;
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be >= 1 (got " + n + ")");
        }
        if (first < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--first must be >= 0 (got " + first + ")");
        }
        long s = seed == null ? defaults.seed() : seed;
        Path corpusDir = CorpusSettings.fromConfig(config).corpusDir();
        Topics topics = Topics.fromConfig(config);
        ProgressLine progress = new ProgressLine(System.out);
        SynthListener listener = new SynthListener() {
            @Override
            public void progress(SynthStats soFar) {
                progress.update("synth " + soFar);
            }

            @Override
            public void retried(long index, String reason) {
                progress.println("prompt " + index + ": retrying after " + reason);
            }

            @Override
            public void failed(long index, String reason) {
                progress.println("prompt " + index + " failed: " + reason);
            }

            @Override
            public void finished(SynthStats total) {
                progress.println("synth done: " + total);
            }
        };
        try (KafkaConnection kafka = KafkaConnection.open(config, CommonOptions.dataDir(config))) {
            kafka.ensureTopics(topics);
            try (DocumentPublisher publisher = new DocumentPublisher(kafka.clientProperties(), topics)) {
                DocumentSink sink = DocumentSink.of(publisher);
                if (m == SynthSettings.Mode.PROGRAMMATIC) {
                    Optional<WordNetGlosses> glosses = WordNetGlosses.fromCorpus(corpusDir);
                    ProgrammaticSynth synth = new ProgrammaticSynth(s, glosses);
                    progress.println("programmatic synth, seed " + s + ", documents " + first + ".." + (first + n - 1) + ", lessons "
                            + synth.lessons() + (glosses.isPresent() ? "" : " (no WordNet under " + corpusDir
                            + ": glossary sections left out; `millrace corpus fetch` adds it)"));
                    synth.run(first, n, sink, listener);
                    return 0;
                }
                TeacherSettings teacher = defaults.teacher().withEndpoint(teacherUrl, teacherModel, apiKeyEnv)
                        .withLimits(concurrency, requestsPerSecond);
                PromptSeeds seeds = PromptSeeds.fromCorpus(corpusDir);
                progress.println("teacher synth at " + teacher.completionsUrl() + " (model " + teacher.model() + "), seed " + s
                        + ", " + seeds.topics().size() + " topics from the " + seeds.topicSource() + ", " + teacher.concurrency()
                        + " in flight, " + teacher.requestsPerSecond() + " requests/s");
                SynthStats total = new TeacherSynth(teacher, seeds, s, listener).run(first, n, sink);
                return total.published() == 0 && total.failed() > 0 ? 1 : 0;
            }
        }
    }

    private SynthSettings.Mode parseMode() {
        try {
            return SynthSettings.Mode.parse(mode, "--mode");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
