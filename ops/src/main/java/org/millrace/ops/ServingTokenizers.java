package org.millrace.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.millrace.common.Tokenizer;
import org.millrace.processing.tokenizer.TokenizerSettings;
import org.millrace.processing.tokenizer.Tokenizers;
import org.millrace.serving.TokenizerLoader;

/**
 * The tokenizers serving and export can find by the name a checkpoint records: {@code byte-v1}, the
 * OpenAI encodings, and the BPE tokenizer that {@code millrace.tokenizer} points at (its
 * {@code tokenizer.json}) when its name matches.
 */
public final class ServingTokenizers {
    private ServingTokenizers() {
    }

    public static TokenizerLoader loader(Config config, Path dataDir) {
        return (name, checkpoint) -> {
            try {
                return TokenizerLoader.builtIn().load(name, checkpoint);
            } catch (IllegalStateException notBuiltIn) {
                for (String kind : TokenizerSettings.KINDS) {
                    Optional<Tokenizer> t = tryKind(config, dataDir, kind).filter(k -> k.name().equals(name));
                    if (t.isPresent()) {
                        return t.get();
                    }
                }
                throw new IllegalStateException("checkpoint " + checkpoint + " was trained with tokenizer '" + name
                        + "', and millrace.tokenizer (kind " + config.getString(TokenizerSettings.PREFIX + "kind") + ", path "
                        + TokenizerSettings.fromConfig(config, dataDir).path() + ") does not give it");
            }
        };
    }

    /** The configured BPE tokenizer's tokenizer.json when a checkpoint was trained with it. */
    public static Optional<Path> tokenizerJson(Config config, Path dataDir, String name) {
        TokenizerSettings settings = TokenizerSettings.fromConfig(config, dataDir);
        if (!Files.isRegularFile(settings.path())) {
            return Optional.empty();
        }
        return tryKind(config, dataDir, "bpe").filter(t -> t.name().equals(name)).map(t -> settings.path());
    }

    private static Optional<Tokenizer> tryKind(Config config, Path dataDir, String kind) {
        try {
            Config c = ConfigFactory.empty().withValue(TokenizerSettings.PREFIX + "kind", ConfigValueFactory.fromAnyRef(kind))
                    .withFallback(config);
            return Optional.of(Tokenizers.fromConfig(c, dataDir));
        } catch (RuntimeException unavailable) {
            return Optional.empty(); // e.g. no tokenizer.json for bpe
        }
    }
}
