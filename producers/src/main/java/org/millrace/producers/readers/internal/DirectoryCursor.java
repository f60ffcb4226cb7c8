package org.millrace.producers.readers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every file under a directory, in name order, each read by the reader of its type. Hidden files and
 * directories (".git") are passed over; symbolic links to directories are not followed (no loops);
 * files of no known type are reported.
 */
public final class DirectoryCursor extends ConcatCursor {
    private final Path root;
    private final ReadContext ctx;
    private final Deque<Iterator<Path>> stack = new ArrayDeque<>();

    public DirectoryCursor(Path root, ReadContext ctx) {
        super(root.toString(), ctx.skips());
        this.root = root;
        this.ctx = ctx;
        push(root);
    }

    private void push(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> children = list.sorted().collect(Collectors.toList());
            stack.push(children.iterator());
        } catch (IOException | RuntimeException e) {
            ctx.skip(dir.toString(), 0, "directory cannot be listed: " + describe(e));
        }
    }

    @Override
    protected Cursor nextChild() {
        while (!stack.isEmpty()) {
            Iterator<Path> top = stack.peek();
            if (!top.hasNext()) {
                stack.pop();
                continue;
            }
            Path p = top.next();
            if (p.getFileName().toString().startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                push(p);
                continue;
            }
            String rel = root.relativize(p).toString().replace('\\', '/');
            FileType type = FileType.of(p.getFileName().toString());
            Cursor c = Formats.open(p, rel, type, ctx);
            if (c == null) {
                ctx.skip(p.toString(), 0, "not a file type Millrace reads (by its name)");
                continue;
            }
            return c;
        }
        return null;
    }
}
