package org.millrace.processing.tokenizer;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Settings;
import org.millrace.common.Tokenizer;

/** The tokenizer that {@code millrace.tokenizer} selects. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /**
     * @throws Settings.SettingsException if kind is bpe and there is no {@code tokenizer.json} at its path
     */
    public static Tokenizer fromConfig(Config config, Path dataDir) {
        return of(TokenizerSettings.fromConfig(config, dataDir), config);
    }

    public static Tokenizer of(TokenizerSettings settings, Config config) {
        switch (settings.kind()) {
            case "byte":
                return new ByteTokenizer();
            case "r50k":
                return new JtokkitTokenizer(JtokkitTokenizer.Kind.R50K);
            case "cl100k":
                return new JtokkitTokenizer(JtokkitTokenizer.Kind.CL100K);
            case "bpe":
                if (!Files.isRegularFile(settings.path())) {
                    throw Settings.invalid(config, TokenizerSettings.PREFIX + "kind", "bpe", "there is no tokenizer at "
                            + settings.path() + " (set " + TokenizerSettings.PREFIX + "path, or train one with"
                            + " 'millrace tokenizer train'; 'millrace run' trains one on first use)");
                }
                return HfBpeTokenizer.load(settings.path());
            default:
                throw Settings.invalid(config, TokenizerSettings.PREFIX + "kind", settings.kind(), "must be one of " + TokenizerSettings.KINDS);
        }
    }
}
