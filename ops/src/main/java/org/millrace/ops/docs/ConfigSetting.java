package org.millrace.ops.docs;

import java.util.List;

/**
 * One setting of a module's {@code reference.conf}, as the configuration reference documents it.
 *
 * @param module        the Maven module whose reference.conf declares it, e.g. {@code common}
 * @param block         path of the object that holds it, e.g. {@code millrace.curation.dedup}
 * @param key           its key inside the block, e.g. {@code bands}
 * @param defaultValue  its default, rendered as HOCON (JSON) text
 * @param override      what overrides the default when set, e.g. {@code ${?MILLRACE_DATA_DIR}}, or empty
 * @param comment       the comment lines above it (shared with the keys right before it when it has none)
 * @param ownComment    whether the comment is its own rather than shared with the keys before it
 * @param line          line of the reference.conf where it is set
 */
public record ConfigSetting(String module, String block, String key, String defaultValue, String override,
                            List<String> comment, boolean ownComment, int line) {
    public ConfigSetting {
        comment = List.copyOf(comment);
    }

    /** The full path, e.g. {@code millrace.curation.dedup.bands}. */
    public String path() {
        return block.isEmpty() ? key : block + "." + key;
    }
}
