package org.millrace.ops.docs;

import java.util.List;

/**
 * The settings of one object of a reference.conf, e.g. {@code millrace.curation.dedup}.
 *
 * @param module   the Maven module whose reference.conf declares it
 * @param path     the object's path
 * @param comment  the comment lines above the object (may be empty)
 * @param settings its settings in the order of the file
 */
public record ConfigBlock(String module, String path, List<String> comment, List<ConfigSetting> settings) {
    public ConfigBlock {
        comment = List.copyOf(comment);
        settings = List.copyOf(settings);
    }
}
