package org.millrace.ops.cli;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.millrace.ops.ServingTokenizers;
import org.millrace.serving.export.HfExport;
import org.millrace.training.checkpoint.CheckpointStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millrace export}: a checkpoint as a Hugging Face GPT-2 model directory. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a checkpoint as a Hugging Face GPT-2 directory (config.json, model.safetensors, tokenizer.json)",
                "that transformers loads with GPT2LMHeadModel.from_pretrained(DIR)."})
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint directory (…/checkpoints/<run>/step-N).")
    Path checkpoint;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "hf", description = "Only hf (Hugging Face GPT-2) for now.")
    String format;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write.")
    Path out;

    @Option(names = "--tokenizer-json", paramLabel = "FILE",
            description = "tokenizer.json to ship (default: the checkpoint's own, the one millrace.tokenizer points at if the"
                    + " checkpoint was trained with it, or the byte-level equivalent of byte-v1).")
    Path tokenizerJson;

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() throws Exception {
        if (!"hf".equals(format)) {
            throw new IllegalArgumentException("--format must be hf (got '" + format + "')");
        }
        Path tokenizer = tokenizerJson;
        if (tokenizer == null && !Files.isRegularFile(checkpoint.resolve("tokenizer.json"))) {
            // a BPE checkpoint: the tokenizer.json millrace.tokenizer points at, if it is the one it was trained with
            Config config = options.settings();
            String name = CheckpointStore.readManifest(checkpoint.toAbsolutePath()).tokenizer();
            tokenizer = ServingTokenizers.tokenizerJson(config, CommonOptions.dataDir(config), name).orElse(null);
        }
        HfExport.Result r = HfExport.export(checkpoint.toAbsolutePath(), out.toAbsolutePath(), tokenizer);
        System.out.printf("wrote %s: %d tensors, %,d parameters; tokenizer.json from %s%n", r.directory(), r.tensors(),
                r.parameters(), r.tokenizerSource());
        return 0;
    }
}
