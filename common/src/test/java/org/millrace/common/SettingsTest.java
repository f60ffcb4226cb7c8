package org.millrace.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void defaultsComeFromReferenceConf() {
        Config c = Settings.load(null);
        Topics topics = Topics.fromConfig(c);
        assertEquals("millrace.docs.web", topics.docsWeb());
        assertEquals("millrace.batches.code", topics.batches("code"));
        assertEquals("code", topics.bucketOf("millrace.batches.code"));
    }

    @Test
    void aConfigFileOverridesAndBadValuesNameKeyValueAndFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.conf");
        Files.writeString(file, "millrace.topics.prefix = lab\nmillrace.topics.doc-partitions = -3\n");
        Config c = Settings.load(file);
        assertEquals("lab.docs.curated", Topics.fromConfig(c).curated());
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class,
                () -> Settings.positiveInt(c, "millrace.topics.doc-partitions"));
        assertTrue(e.getMessage().startsWith("millrace.topics.doc-partitions = -3 is invalid: must be > 0"), e.getMessage());
        assertTrue(e.getMessage().contains("my.conf"), e.getMessage());
    }

    @Test
    void wrongTypesAndMissingFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "millrace.topics.doc-partitions = many\n");
        Config c = Settings.load(file);
        Settings.SettingsException e = assertThrows(Settings.SettingsException.class,
                () -> Settings.positiveInt(c, "millrace.topics.doc-partitions"));
        assertTrue(e.getMessage().contains("millrace.topics.doc-partitions"), e.getMessage());
        Settings.SettingsException missing = assertThrows(Settings.SettingsException.class,
                () -> Settings.load(dir.resolve("nope.conf")));
        assertTrue(missing.getMessage().contains("no such file"));
    }

    @Test
    void rawKafkaPropertiesPassThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.conf");
        Files.writeString(file, "millrace.kafka.client { \"security.protocol\" = SASL_SSL, \"sasl.mechanism\" = PLAIN }\n");
        Map<String, Object> props = KafkaClients.properties(Settings.load(file), "h:1", Map.of("acks", "all"));
        assertEquals("SASL_SSL", props.get("security.protocol"));
        assertEquals("PLAIN", props.get("sasl.mechanism"));
        assertEquals("h:1", props.get("bootstrap.servers"));
        assertEquals("all", props.get("acks"));
    }

    @Test
    void illegalTopicNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Topics("has space", java.util.List.of("web")));
        assertTrue(e.getMessage().contains("millrace.topics.prefix"));
    }
}
