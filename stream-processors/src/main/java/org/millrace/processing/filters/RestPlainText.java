package org.millrace.processing.filters;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * reStructuredText (as Sphinx writes the Python manual) reduced to the words a reader sees on the
 * rendered page: the ground truth that HTML extraction is scored against. Markup that has words of
 * its own is what matters here (role and directive names, options, comments, hidden directives such
 * as {@code index} and {@code toctree}, link targets); punctuation (adornments, table borders, inline
 * markers) makes no tokens and may stay. Directives Sphinx renders with a caption get it
 * ({@code versionadded} → "New in version"). Hand-written: there is no reST reader for Java, and the
 * score needs only this reduction, not a document tree.
 */
public final class RestPlainText {
    private static final Pattern DIRECTIVE = Pattern.compile("^(\\s*)\\.\\.\\s+([\\w:.-]+)::(.*)$");
    private static final Pattern SUBSTITUTION_DEF = Pattern.compile("^\\s*\\.\\.\\s+\\|([^|]+)\\|\\s+([\\w-]+)::\\s*(.*)$");
    private static final Pattern FOOTNOTE = Pattern.compile("^(\\s*)\\.\\.\\s+\\[[^\\]]+\\]\\s*(.*)$");
    private static final Pattern EXPLICIT_MARKUP = Pattern.compile("^(\\s*)\\.\\.(\\s.*)?$");
    private static final Pattern OPTION = Pattern.compile("^\\s*:[\\w-]+:(\\s.*)?$");
    /** A role with its content: {@code :func:`~os.path.join`}, {@code :c:func:`x`}. */
    private static final Pattern ROLE = Pattern.compile(":([\\w.+-]+(?::[\\w.+-]+)?):`([^`]*)`");
    private static final Pattern TITLED = Pattern.compile("^(.*?)\\s*<[^<>]*>$", Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("`([^`<]*?)\\s*<[^`>]*>`_{1,2}");
    private static final Pattern SUBSTITUTION_REF = Pattern.compile("\\|([^|\\s][^|]*)\\|_{0,2}");

    /** Directives whose header, options and content a reader never sees. */
    private static final Set<String> HIDDEN = Set.of("index", "toctree", "moduleauthor", "sectionauthor", "highlight",
            "currentmodule", "module", "testsetup", "testcleanup", "raw", "include", "literalinclude",
            "tabularcolumns", "contents", "image", "figure", "c:namespace", "c:namespace-push", "c:namespace-pop",
            "default-role", "py:currentmodule", "py:module", "program", "meta", "sectnum", "role", "cssclass");
    /** Directives whose argument is a language, a path or a title Sphinx does not print. */
    private static final Set<String> ARGUMENT_HIDDEN = Set.of("code-block", "sourcecode", "code", "only",
            "doctest", "testcode", "testoutput", "highlight", "ifconfig", "container", "class", "list-table",
            "csv-table", "table", "math", "glossary", "productionlist", "hlist");
    private static final Map<String, String> CAPTIONS = Map.ofEntries(
            Map.entry("versionadded", "New in version"), Map.entry("versionchanged", "Changed in version"),
            Map.entry("deprecated", "Deprecated since version"),
            Map.entry("deprecated-removed", "Deprecated since version, will be removed in version"),
            Map.entry("seealso", "See also"), Map.entry("note", "Note"), Map.entry("warning", "Warning"),
            Map.entry("impl-detail", "CPython implementation detail:"), Map.entry("important", "Important"),
            Map.entry("tip", "Tip"), Map.entry("hint", "Hint"), Map.entry("caution", "Caution"),
            Map.entry("attention", "Attention"), Map.entry("danger", "Danger"), Map.entry("error", "Error"),
            Map.entry("audit-event", "Raises an auditing event with arguments"));

    private RestPlainText() {
    }

    public static String of(String rst) {
        String[] lines = rst.split("\r?\n", -1);
        Map<String, String> substitutions = new HashMap<>();
        for (String line : lines) {
            Matcher m = SUBSTITUTION_DEF.matcher(line);
            if (m.matches() && m.group(2).equals("replace")) {
                substitutions.put(m.group(1), m.group(3));
            }
        }
        StringBuilder out = new StringBuilder(rst.length());
        int skipDeeperThan = -1; // skipping every line indented more than this
        int optionsDeeperThan = -1; // dropping option lines of a directive header, until a blank line
        for (String line : lines) {
            int indent = indentation(line);
            boolean blank = line.isBlank();
            if (skipDeeperThan >= 0) {
                if (blank || indent > skipDeeperThan) {
                    continue;
                }
                skipDeeperThan = -1;
            }
            if (optionsDeeperThan >= 0) {
                if (!blank && indent > optionsDeeperThan && OPTION.matcher(line).matches()) {
                    continue;
                }
                optionsDeeperThan = -1;
            }
            Matcher d = DIRECTIVE.matcher(line);
            if (d.matches()) {
                String name = d.group(2).toLowerCase(Locale.ROOT);
                String bare = name.startsWith("py:") ? name.substring(3) : name;
                if (HIDDEN.contains(name) || HIDDEN.contains(bare)) {
                    skipDeeperThan = indent;
                    continue;
                }
                String caption = CAPTIONS.getOrDefault(bare, "");
                String argument = ARGUMENT_HIDDEN.contains(bare) ? "" : d.group(3).strip();
                out.append(caption).append(caption.isEmpty() || argument.isEmpty() ? "" : " ")
                        .append(inline(argument, substitutions)).append('\n');
                optionsDeeperThan = indent;
                continue;
            }
            if (SUBSTITUTION_DEF.matcher(line).matches()) {
                skipDeeperThan = indent;
                continue;
            }
            Matcher f = FOOTNOTE.matcher(line);
            if (f.matches()) {
                out.append(inline(f.group(2), substitutions)).append('\n');
                continue;
            }
            if (EXPLICIT_MARKUP.matcher(line).matches()) { // a comment or a link target
                skipDeeperThan = indent;
                continue;
            }
            out.append(inline(line, substitutions)).append('\n');
        }
        return out.toString();
    }

    private static String inline(String line, Map<String, String> substitutions) {
        if (line.indexOf('`') < 0 && line.indexOf('|') < 0) {
            return line;
        }
        Matcher m = ROLE.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(role(m.group(1), m.group(2))));
        }
        m.appendTail(sb);
        String s = LINK.matcher(sb).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        if (s.indexOf('|') >= 0 && !substitutions.isEmpty()) {
            s = SUBSTITUTION_REF.matcher(s).replaceAll(r -> Matcher.quoteReplacement(
                    substitutions.getOrDefault(r.group(1), r.group())));
        }
        return s;
    }

    /** What Sphinx prints for a role: the title if one is given, the target's last part after '~'. */
    private static String role(String name, String content) {
        Matcher titled = TITLED.matcher(content);
        boolean hasTitle = titled.matches() && !titled.group(1).isEmpty();
        String text = hasTitle ? titled.group(1) : content;
        String bare = name.toLowerCase(Locale.ROOT);
        if (!hasTitle && (bare.equals("ref") || bare.equals("doc") || bare.equals("numref") || bare.equals("std:ref"))) {
            return ""; // printed as the target's title, which the source does not hold
        }
        if (text.startsWith("!")) {
            text = text.substring(1);
        }
        if (text.startsWith("~")) {
            String t = text.substring(1);
            int paren = t.indexOf('(');
            int dot = (paren < 0 ? t : t.substring(0, paren)).lastIndexOf('.');
            text = dot < 0 ? t : t.substring(dot + 1);
        }
        if (bare.equals("pep")) {
            return "PEP " + text;
        }
        if (bare.equals("rfc")) {
            return "RFC " + text;
        }
        return text;
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
