package org.millrace.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.common.Settings;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.readers.ReaderOptions;

/** The producers' keys of reference.conf, and errors that name the key. */
class SettingsTest {

    @Test
    void defaultsOfReferenceConf() {
        Config c = Settings.load(null);
        CorpusSettings corpus = CorpusSettings.fromConfig(c);
        assertEquals(Path.of(c.getString("millrace.data-dir")).resolve("corpus"), corpus.corpusDir());
        assertEquals(CorpusSettings.defaults(corpus.corpusDir()), corpus);
        assertEquals(ReaderOptions.defaults(), ReaderOptions.fromConfig(c));
        assertEquals(Duration.ofSeconds(1), c.getDuration(Ingest.PROGRESS_INTERVAL));
    }

    @Test
    void overridesAndNamedErrors() {
        Config c = ConfigFactory.parseString("millrace.corpus.dir = /srv/corpus\nmillrace.corpus.sources = [brown]\n"
                + "millrace.ingest.max-document-bytes = 1 KiB").withFallback(Settings.load(null));
        assertEquals(Path.of("/srv/corpus"), CorpusSettings.fromConfig(c).corpusDir());
        assertEquals(List.of("brown"), CorpusSettings.fromConfig(c).sources());
        assertEquals(1024, ReaderOptions.fromConfig(c).maxDocumentBytes());

        Config bad = ConfigFactory.parseString("millrace.ingest.max-control-ratio = 1.5").withFallback(Settings.load(null));
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class, () -> ReaderOptions.fromConfig(bad));
        assertTrue(e.getMessage().startsWith("millrace.ingest.max-control-ratio = 1.5 is invalid"), e.getMessage());
        Config zero = ConfigFactory.parseString("millrace.ingest.max-document-bytes = 0").withFallback(Settings.load(null));
        assertTrue(assertThrows(Settings.SettingsException.class, () -> ReaderOptions.fromConfig(zero)).getMessage()
                .startsWith("millrace.ingest.max-document-bytes = 0 is invalid"));
    }
}
