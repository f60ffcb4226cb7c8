package org.millrace.common.evalsets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Settings;

/**
 * Tasks users add through configuration, without code ({@code millrace.eval.user-tasks}):
 * <pre>
 * user-tasks = [
 *   { name = my_quiz, type = multiple_choice, file = "/data/my-quiz.jsonl" }
 *   { name = bpb_notes, type = bits_per_byte, file = "/data/notes.txt" }
 * ]
 * </pre>
 * A JSONL file holds one {@link EvalItem} a line; a {@code bits_per_byte} task may name any UTF-8 text
 * file instead, which is then one item.
 */
public final class UserTasks {
    private UserTasks() {
    }

    /** One configured task. */
    public record Spec(String name, EvalTaskType type, Path file) {
    }

    public static List<Spec> fromConfig(Config config) {
        String key = EvalSetRegistry.USER_TASKS;
        if (!config.hasPath(key)) {
            return List.of();
        }
        List<? extends ConfigObject> list;
        try {
            list = config.getObjectList(key);
        } catch (ConfigException e) {
            throw new Settings.SettingsException(key + " must be a list of {name, type, file} objects: " + e.getMessage(), e);
        }
        List<Spec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigObject o = list.get(i);
            String where = key + "[" + i + "]";
            String name = string(o, "name", where);
            String type = string(o, "type", where);
            String file = string(o, "file", where);
            EvalTaskType t;
            try {
                t = EvalTaskType.parse(type);
            } catch (IllegalArgumentException e) {
                throw new Settings.SettingsException(where + ".type = \"" + type + "\" is invalid: " + e.getMessage());
            }
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new Settings.SettingsException(where + ".name = \"" + name
                        + "\" is invalid: use letters, digits, '_', '.' and '-' only");
            }
            if (!names.add(name)) {
                throw new Settings.SettingsException(where + ".name = \"" + name + "\" is invalid: two user tasks have that name");
            }
            out.add(new Spec(name, t, Path.of(file)));
        }
        return out;
    }

    private static String string(ConfigObject o, String field, String where) {
        ConfigValue v = o.get(field);
        if (v == null || v.unwrapped() == null || v.unwrapped().toString().isBlank()) {
            throw new Settings.SettingsException(where + "." + field + " is not set");
        }
        return v.unwrapped().toString();
    }

    /** The items of a user task; errors name the setting and the file. */
    static List<EvalItem> read(Spec spec) {
        Path file = spec.file();
        if (!Files.isRegularFile(file)) {
            throw new Settings.SettingsException(EvalSetRegistry.USER_TASKS + ": task " + spec.name() + ": file " + file
                    + " does not exist");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read user task " + spec.name() + " from " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("user task " + spec.name() + ": " + file + " is not UTF-8 text");
        }
        String name = file.getFileName().toString();
        boolean jsonl = name.endsWith(".jsonl") || name.endsWith(".ndjson");
        if (!jsonl && spec.type() == EvalTaskType.BITS_PER_BYTE) {
            if (text.isEmpty()) {
                throw new InvalidRecordException("user task " + spec.name() + ": " + file + " is empty");
            }
            return List.of(EvalItem.text(name, file.toString(), null, text));
        }
        if (!jsonl) {
            throw new Settings.SettingsException(EvalSetRegistry.USER_TASKS + ": task " + spec.name() + ": " + file
                    + " must be a .jsonl file for type " + spec.type().wireName());
        }
        List<EvalItem> items = EvalSetRegistry.parse(file.toString(), text, spec.type());
        // items of user files record their file as the source when they name none
        return items.stream().map(i -> i.source() != null ? i
                : new EvalItem(i.id(), file.toString(), i.docId(), i.text(), i.context(), i.choices(), i.gold(), i.answer()))
                .toList();
    }
}
