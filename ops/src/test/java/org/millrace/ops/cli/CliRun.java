package org.millrace.ops.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.KafkaClients;
import org.millrace.common.Settings;
import org.millrace.ops.Main;
import org.millrace.ops.run.TopicReader;

/**
 * One {@code millrace} command line run through {@link Main#execute}, with what it printed.
 *
 * @param code exit code
 * @param out  standard output
 * @param err  standard error
 */
record CliRun(int code, String out, String err) {

    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            oldOut.print(out.toString(StandardCharsets.UTF_8)); // keep it in the test's own output too
            oldErr.print(err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A settings file giving a test its own topic names. */
    static Path topicsConfig(Path dir, String prefix) throws IOException {
        Path file = dir.resolve(prefix + ".conf");
        Files.writeString(file, "millrace.topics.prefix = \"" + prefix + "\"\n");
        return file;
    }

    /** Every document on a topic, decoded. */
    static List<Document> documents(String bootstrap, String topic) {
        Map<String, Object> props = KafkaClients.properties(Settings.load(null), bootstrap, Map.of());
        List<Document> docs = new ArrayList<>();
        TopicReader.readAll(props, topic, Duration.ofSeconds(60)).forEach(r -> docs.add(DocumentCodec.decode(r.value())));
        return docs;
    }
}
