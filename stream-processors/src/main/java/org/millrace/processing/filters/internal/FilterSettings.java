package org.millrace.processing.filters.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;

/** Checked readers of a filter's block {@code millrace.curation.<filter>}; errors name the key. */
public final class FilterSettings {
    private final Config config;
    private final String prefix;

    public FilterSettings(Config config, String filterName) {
        this.config = config;
        this.prefix = "millrace.curation." + filterName + ".";
    }

    public String key(String name) {
        return prefix + name;
    }

    /** The document kinds the filter applies to ({@code kinds}); others pass it untouched. */
    public Set<DocumentKind> kinds() {
        Set<DocumentKind> kinds = EnumSet.noneOf(DocumentKind.class);
        for (String k : strings("kinds")) {
            try {
                kinds.add(DocumentKind.parse(k));
            } catch (IllegalArgumentException e) {
                throw Settings.invalid(config, key("kinds"), strings("kinds"), e.getMessage());
            }
        }
        return kinds;
    }

    public List<String> strings(String name) {
        try {
            return config.getStringList(key(name));
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key(name) + ": " + e.getMessage(), e);
        }
    }

    public boolean flag(String name) {
        try {
            return config.getBoolean(key(name));
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key(name) + ": " + e.getMessage(), e);
        }
    }

    public String string(String name) {
        try {
            return config.getString(key(name));
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key(name) + ": " + e.getMessage(), e);
        }
    }

    /** A fraction within [0, 1]. */
    public double fraction(String name) {
        return Settings.doubleInRange(config, key(name), 0, 1);
    }

    public double positive(String name) {
        return Settings.positiveDouble(config, key(name));
    }

    public int positiveInt(String name) {
        return Settings.positiveInt(config, key(name));
    }

    public int nonNegativeInt(String name) {
        return Settings.nonNegativeInt(config, key(name));
    }

    public Config config() {
        return config;
    }

    public Settings.SettingsException invalid(String name, Object value, String reason) {
        return Settings.invalid(config, key(name), value, reason);
    }
}
