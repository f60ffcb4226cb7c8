package org.millrace.producers.corpus;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.millrace.common.Settings;

/**
 * Settings of the corpus fetch ({@code millrace.corpus} in {@code reference.conf}).
 *
 * @param corpusDir            where the corpus goes
 * @param sources              names of the sources to fetch; empty means all
 * @param openjdkModules       modules of the JDK's {@code src.zip} kept as code
 * @param pythonDocPackage     Debian package of the Python documentation
 * @param postgresqlDocPackage Debian package of the PostgreSQL documentation
 * @param openjdkSourcePackage Debian package holding the JDK's {@code src.zip}
 * @param pythonStdlibDir      installed Python standard library; null means the newest
 *                             {@code /usr/lib/python3.N}
 * @param npm                  npm command
 * @param aptGet               apt-get command
 * @param dpkg                 dpkg command
 * @param toolTimeout          longest a package tool may run
 * @param aptUpdate            run {@code apt-get update} once when a download fails for want of
 *                             package lists (empty or stale)
 */
public record CorpusSettings(Path corpusDir, List<String> sources, List<String> openjdkModules,
                             String pythonDocPackage, String postgresqlDocPackage, String openjdkSourcePackage,
                             Path pythonStdlibDir, String npm, String aptGet, String dpkg, Duration toolTimeout,
                             boolean aptUpdate) {
    public CorpusSettings {
        Objects.requireNonNull(corpusDir, "corpusDir");
        sources = List.copyOf(sources);
        openjdkModules = List.copyOf(openjdkModules);
        if (openjdkModules.isEmpty()) {
            throw new IllegalArgumentException("millrace.corpus.openjdk-modules must name at least one module");
        }
        if (toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException("millrace.corpus.tools.timeout = " + toolTimeout + " is invalid: must be positive");
        }
    }

    /** Defaults of {@code reference.conf} with another corpus directory. */
    public static CorpusSettings defaults(Path corpusDir) {
        return new CorpusSettings(corpusDir, List.of(), List.of("java.base", "java.net.http", "java.sql", "java.logging"),
                "python3.11-doc", "postgresql-doc-15", "openjdk-17-source", null, "npm", "apt-get", "dpkg",
                Duration.ofMinutes(10), true);
    }

    public static CorpusSettings fromConfig(Config config) {
        String dir = string(config, "millrace.corpus.dir");
        Path corpusDir = dir.isBlank() ? Path.of(string(config, "millrace.data-dir")).resolve("corpus") : Path.of(dir);
        String stdlib = string(config, "millrace.corpus.python-stdlib-dir");
        return new CorpusSettings(corpusDir, list(config, "millrace.corpus.sources"),
                list(config, "millrace.corpus.openjdk-modules"),
                string(config, "millrace.corpus.python-doc-package"),
                string(config, "millrace.corpus.postgresql-doc-package"),
                string(config, "millrace.corpus.openjdk-source-package"),
                stdlib.isBlank() ? null : Path.of(stdlib),
                string(config, "millrace.corpus.tools.npm"), string(config, "millrace.corpus.tools.apt-get"),
                string(config, "millrace.corpus.tools.dpkg"),
                Settings.positiveDuration(config, "millrace.corpus.tools.timeout"),
                bool(config, "millrace.corpus.apt-update-when-lists-missing"));
    }

    public CorpusSettings withSources(List<String> names) {
        return new CorpusSettings(corpusDir, names, openjdkModules, pythonDocPackage, postgresqlDocPackage,
                openjdkSourcePackage, pythonStdlibDir, npm, aptGet, dpkg, toolTimeout, aptUpdate);
    }

    public CorpusSettings withTools(String npmCommand, String aptGetCommand, String dpkgCommand) {
        return new CorpusSettings(corpusDir, sources, openjdkModules, pythonDocPackage, postgresqlDocPackage,
                openjdkSourcePackage, pythonStdlibDir, npmCommand, aptGetCommand, dpkgCommand, toolTimeout, aptUpdate);
    }

    private static String string(Config c, String key) {
        try {
            return c.getString(key);
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key + ": " + e.getMessage(), e);
        }
    }

    private static List<String> list(Config c, String key) {
        try {
            return c.getStringList(key);
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key + ": " + e.getMessage(), e);
        }
    }

    private static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key + ": " + e.getMessage(), e);
        }
    }
}
