package org.millrace.producers.readers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.millrace.common.Document;

/** Everything a reader yielded: documents and skip reports. */
record Collected(List<Document> documents, List<SkipReport> skips) {

    static Collected read(DocumentReader reader) {
        List<SkipReport> skips = new ArrayList<>();
        try (Stream<Document> docs = reader.documents(skips::add)) {
            return new Collected(docs.collect(Collectors.toList()), skips);
        }
    }

    /** Documents by their {@code url} (the relative path for files). */
    Map<String, Document> byUrl() {
        return documents.stream().collect(Collectors.toMap(Document::url, Function.identity()));
    }

    SkipReport skipOf(String fileSuffix) {
        return skips.stream().filter(s -> s.file().endsWith(fileSuffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no skip report for " + fileSuffix + " in " + skips));
    }
}
