package org.millrace.producers.corpus;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** What the corpus fetch tells as it goes; the command line renders it. */
public interface FetchListener {
    FetchListener NONE = new FetchListener() { };

    /** Source {@code index} of {@code total} (1-based) starts: verified, or fetched. */
    default void sourceStarted(String name, int index, int total) {
    }

    /** A step of a source: a package download, an extraction. */
    default void step(String name, String message) {
    }

    /** The stored copy matched its manifest entry; nothing was fetched. */
    default void sourceVerified(CorpusManifest.Source source) {
    }

    default void sourceFetched(CorpusManifest.Source source, Duration took) {
    }

    /** The source could not be fetched (a tool or package is missing...); the fetch goes on. */
    default void sourceFailed(String name, String reason) {
    }

    /** Something the user should know that is not one source's outcome (apt-get update ran). */
    default void notice(String message) {
    }

    /** A listener printing one line per event. */
    static FetchListener printingTo(PrintStream out) {
        return new FetchListener() {
            @Override
            public void sourceStarted(String name, int index, int total) {
                out.printf(Locale.ROOT, "[%d/%d] %s%n", index, total, name);
            }

            @Override
            public void step(String name, String message) {
                out.printf(Locale.ROOT, "      %s: %s%n", name, message);
            }

            @Override
            public void sourceVerified(CorpusManifest.Source s) {
                out.printf(Locale.ROOT, "      %s: verified (%,d documents, %.1f MB)%n", s.name(), s.documents(), s.bytes() / 1e6);
            }

            @Override
            public void sourceFetched(CorpusManifest.Source s, Duration took) {
                out.printf(Locale.ROOT, "      %s: fetched %s %s (%,d documents, %.1f MB) in %.1f s%n", s.name(), s.pkg(),
                        s.version(), s.documents(), s.bytes() / 1e6, took.toMillis() / 1e3);
            }

            @Override
            public void sourceFailed(String name, String reason) {
                out.printf(Locale.ROOT, "      %s: NOT FETCHED: %s%n", name, reason);
            }

            @Override
            public void notice(String message) {
                out.println("      note: " + message);
            }
        };
    }
}
