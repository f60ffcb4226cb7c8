package org.millrace.producers.readers.internal;

import java.util.Locale;
import java.util.Map;
import org.millrace.common.DocumentKind;

/** What a file is, from its name: the readers dispatch on it and it gives a document's kind. */
public enum FileType {
    HTML(DocumentKind.WEB),
    MARKDOWN(DocumentKind.TEXTBOOK),
    RST(DocumentKind.TEXTBOOK),
    TEXT(DocumentKind.WEB),
    CODE(DocumentKind.CODE),
    MAIL(DocumentKind.WEB),
    MBOX(DocumentKind.WEB),
    JSONL(DocumentKind.WEB),
    WARC(DocumentKind.WEB),
    ARCHIVE(DocumentKind.CODE),
    UNKNOWN(DocumentKind.WEB);

    private static final Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("java", "java"), Map.entry("py", "python"), Map.entry("pyi", "python"),
            Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("cjs", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("c", "c"), Map.entry("h", "c"),
            Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"), Map.entry("cxx", "cpp"), Map.entry("hpp", "cpp"),
            Map.entry("hh", "cpp"), Map.entry("cs", "csharp"), Map.entry("go", "go"), Map.entry("rs", "rust"),
            Map.entry("rb", "ruby"), Map.entry("scala", "scala"), Map.entry("kt", "kotlin"),
            Map.entry("kts", "kotlin"), Map.entry("swift", "swift"), Map.entry("php", "php"),
            Map.entry("pl", "perl"), Map.entry("pm", "perl"), Map.entry("sh", "shell"), Map.entry("bash", "shell"),
            Map.entry("sql", "sql"), Map.entry("r", "r"), Map.entry("jl", "julia"), Map.entry("lua", "lua"),
            Map.entry("hs", "haskell"), Map.entry("ml", "ocaml"), Map.entry("clj", "clojure"),
            Map.entry("ex", "elixir"), Map.entry("exs", "elixir"), Map.entry("erl", "erlang"));

    private final DocumentKind kind;

    FileType(DocumentKind kind) {
        this.kind = kind;
    }

    /** The kind of a document read from a file of this type, when nobody says otherwise. */
    public DocumentKind kind() {
        return kind;
    }

    /** Types whose whole content is one document of text. */
    public boolean isSingleText() {
        return this == HTML || this == MARKDOWN || this == RST || this == TEXT || this == CODE;
    }

    public static FileType of(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".rst.txt") || n.endsWith(".rst")) {
            return RST;
        }
        if (n.endsWith(".warc") || n.endsWith(".warc.gz") || n.endsWith(".wet") || n.endsWith(".wet.gz")) {
            return WARC;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz") || n.endsWith(".ndjson") || n.endsWith(".json.gz")) {
            return JSONL;
        }
        String ext = extension(n);
        switch (ext) {
            case "html": case "htm": case "xhtml":
                return HTML;
            case "md": case "markdown":
                return MARKDOWN;
            case "txt": case "text":
                return TEXT;
            case "eml":
                return MAIL;
            case "mbox":
                return MBOX;
            case "zip": case "jar":
                return ARCHIVE;
            default:
                return LANGUAGES.containsKey(ext) ? CODE : UNKNOWN;
        }
    }

    /** Programming language of a source file name, or null. */
    public static String language(String fileName) {
        return LANGUAGES.get(extension(fileName.toLowerCase(Locale.ROOT)));
    }

    /** MIME type of a single-text file's content. */
    public static String contentType(FileType type, String fileName) {
        switch (type) {
            case HTML:
                return "text/html";
            case MARKDOWN:
                return "text/markdown";
            case RST:
                return "text/x-rst";
            case CODE:
                return "text/x-" + language(fileName);
            default:
                return "text/plain";
        }
    }

    private static String extension(String lowerName) {
        int slash = lowerName.lastIndexOf('/');
        int dot = lowerName.lastIndexOf('.');
        return dot > slash && dot >= 0 ? lowerName.substring(dot + 1) : "";
    }
}
