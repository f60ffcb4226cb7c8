package org.millrace.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Loads settings (every module's {@code reference.conf}, then an optional {@code --config} file, then
 * system properties) and reads them with checks whose errors name the key, the value and the reason.
 */
public final class Settings {
    private Settings() {
    }

    /** Settings of the defaults, overridden by {@code file} when it is not null. */
    public static Config load(Path file) {
        ConfigFactory.invalidateCaches();
        Config defaults = ConfigFactory.load();
        if (file == null) {
            return defaults;
        }
        if (!Files.isRegularFile(file)) {
            throw new SettingsException("--config " + file + ": no such file");
        }
        try {
            Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            return ConfigFactory.systemProperties().withFallback(user).withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new SettingsException("--config " + file + ": " + e.getMessage(), e);
        }
    }

    public static int positiveInt(Config config, String key) {
        int v = integer(config, key);
        if (v <= 0) {
            throw invalid(config, key, v, "must be > 0");
        }
        return v;
    }

    public static int nonNegativeInt(Config config, String key) {
        int v = integer(config, key);
        if (v < 0) {
            throw invalid(config, key, v, "must be >= 0");
        }
        return v;
    }

    public static int intInRange(Config config, String key, int min, int max) {
        int v = integer(config, key);
        if (v < min || v > max) {
            throw invalid(config, key, v, "must be within [" + min + ", " + max + "]");
        }
        return v;
    }

    public static double doubleInRange(Config config, String key, double min, double max) {
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException e) {
            throw wrapped(key, e);
        }
        if (!(v >= min && v <= max)) {
            throw invalid(config, key, v, "must be within [" + min + ", " + max + "]");
        }
        return v;
    }

    public static double positiveDouble(Config config, String key) {
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException e) {
            throw wrapped(key, e);
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw invalid(config, key, v, "must be a finite number > 0");
        }
        return v;
    }

    public static Duration positiveDuration(Config config, String key) {
        Duration d;
        try {
            d = config.getDuration(key);
        } catch (ConfigException e) {
            throw wrapped(key, e);
        }
        if (d.isNegative() || d.isZero()) {
            throw invalid(config, key, d, "must be a positive duration");
        }
        return d;
    }

    public static String oneOf(Config config, String key, List<String> allowed) {
        String v;
        try {
            v = config.getString(key);
        } catch (ConfigException e) {
            throw wrapped(key, e);
        }
        if (!allowed.contains(v)) {
            throw invalid(config, key, "\"" + v + "\"", "must be one of " + allowed);
        }
        return v;
    }

    private static int integer(Config config, String key) {
        try {
            return config.getInt(key);
        } catch (ConfigException e) {
            throw wrapped(key, e);
        }
    }

    /** An error naming the key, its value, where the value came from, and why it is wrong. */
    public static SettingsException invalid(Config config, String key, Object value, String reason) {
        String origin = "";
        if (config.hasPath(key)) {
            ConfigValue cv = config.getValue(key);
            String desc = cv.origin().description();
            if (desc != null && !desc.startsWith("merge of") && !desc.contains("reference.conf")) {
                origin = " (from " + desc + ")";
            }
        }
        return new SettingsException(key + " = " + value + " is invalid: " + reason + origin);
    }

    private static SettingsException wrapped(String key, ConfigException e) {
        if (e instanceof ConfigException.Missing) {
            return new SettingsException(key + " is not set (and has no default)", e);
        }
        return new SettingsException(key + ": " + e.getMessage(), e);
    }

    /** A setting with a wrong value. Fatal: the program stops with this message. */
    public static final class SettingsException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public SettingsException(String message) {
            super(message);
        }

        public SettingsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
