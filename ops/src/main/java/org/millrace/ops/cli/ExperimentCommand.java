package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.millrace.ops.experiment.Arm;
import org.millrace.ops.experiment.ExperimentSettings;
import org.millrace.ops.experiment.TextbookExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code millrace experiment}: controlled comparisons of training runs. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Controlled comparisons of training runs on the same data, budget and model.",
        subcommands = {ExperimentCommand.Textbooks.class})
public final class ExperimentCommand {

    /** {@code millrace experiment textbooks}. */
    @Command(name = "textbooks", mixinStandardHelpOptions = true,
            description = {"Train four arms from the same documents at the same token budget and model,",
                    "evaluate each on the whole evaluation suite, and write DIR/results.md,",
                    "DIR/results.json and DIR/plots/*.png. The arms:",
                    "  raw                 extraction and exact dedup only, one bucket",
                    "  filtered            the full curation chain and classifier, phi-3's phases",
                    "  filtered+synthetic  plus programmatic synthetic textbooks and exercises",
                    "  adaptive            filtered+synthetic, mixture set online by the",
                    "                      curriculum controller (EXP3 over buckets)",
                    "They run one after another on one broker (embedded under DIR unless",
                    "--bootstrap-servers)."})
    public static final class Textbooks implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Option(names = "--tokens", paramLabel = "N", description = "Training tokens per arm and seed (default: millrace.experiment.tokens).")
        Long tokens;

        @Option(names = "--preset", paramLabel = "NAME", description = "Model preset of every arm: tiny, small, ... (default: millrace.experiment.preset).")
        String preset;

        @Option(names = "--seeds", paramLabel = "K", description = "Seeds per arm; the report gives means and spreads (default: millrace.experiment.seeds).")
        Integer seeds;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the results and the arms' data go (default: <data-dir>/experiments/textbooks).")
        Path out;

        @Option(names = "--arms", paramLabel = "ARM[,ARM...]", split = ",",
                description = "Run only these arms (default: raw, filtered, filtered+synthetic, adaptive).")
        List<String> arms;

        @Option(names = "--documents", paramLabel = "DIR",
                description = "Train on the Markdown and Java sources of DIR instead of the default corpus (millrace.run.documents = seed).")
        Path documents;

        @Override
        public Integer call() throws Exception {
            Config config = options.settings();
            if (documents != null) {
                config = com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("millrace.run.documents", "seed"), "--documents")
                        .withFallback(config);
            }
            Path dir = out != null ? out : CommonOptions.dataDir(config).resolve("experiments").resolve("textbooks");
            ExperimentSettings settings = ExperimentSettings.fromConfig(config, tokens, preset, seeds, arms(), dir);
            Path seedRoot = documents != null ? documents
                    : Path.of(System.getProperty("millrace.home", ".")).toAbsolutePath().normalize();
            StringBuilder command = new StringBuilder("millrace experiment textbooks");
            command.append(" --tokens ").append(settings.tokens()).append(" --preset ").append(settings.preset())
                    .append(" --seeds ").append(settings.seeds());
            if (arms != null) {
                command.append(" --arms ").append(String.join(",", arms));
            }
            command.append(" --out ").append(settings.out());
            if (options.dataDir != null) {
                command.append(" --data-dir ").append(options.dataDir);
            }
            if (options.configFile != null) {
                command.append(" --config ").append(options.configFile);
            }
            if (documents != null) {
                command.append(" --documents ").append(documents);
            }
            new TextbookExperiment(config, settings, seedRoot, System.out, command.toString()).execute();
            return 0;
        }

        private List<Arm> arms() {
            if (arms == null || arms.isEmpty()) {
                return Arrays.asList(Arm.values());
            }
            List<Arm> out = new ArrayList<>();
            for (String name : arms) {
                Arm arm = Arrays.stream(Arm.values()).filter(a -> a.label().equals(name.trim())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--arms: unknown arm '" + name + "', known: "
                                + Arrays.stream(Arm.values()).map(Arm::label).toList()));
                if (!out.contains(arm)) {
                    out.add(arm);
                }
            }
            return out;
        }
    }
}
