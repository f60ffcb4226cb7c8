package org.millrace.ops;

import org.millrace.ops.cli.BenchCommand;
import org.millrace.ops.cli.BrokerCommand;
import org.millrace.ops.cli.ClassifierCommand;
import org.millrace.ops.cli.CorpusCommand;
import org.millrace.ops.cli.CurateCommand;
import org.millrace.ops.cli.DocsCommand;
import org.millrace.ops.cli.EvalCommand;
import org.millrace.ops.cli.ExperimentCommand;
import org.millrace.ops.cli.ExportCommand;
import org.millrace.ops.cli.IngestCommand;
import org.millrace.ops.cli.RunCommand;
import org.millrace.ops.cli.ServeCommand;
import org.millrace.ops.cli.StatusCommand;
import org.millrace.ops.cli.SynthCommand;
import org.millrace.ops.cli.TokenizerCommand;
import org.millrace.ops.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code millrace} command. */
@Command(name = "millrace", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Continuous curriculum pretraining of language models on curated data.",
        subcommands = {
                RunCommand.class,
                TrainCommand.class,
                StatusCommand.class,
                BrokerCommand.class,
                BenchCommand.class,
                EvalCommand.class,
                ServeCommand.class,
                ExportCommand.class,
                TokenizerCommand.class,
                ClassifierCommand.class,
                CorpusCommand.class,
                IngestCommand.class,
                SynthCommand.class,
                org.millrace.ops.cli.NodeCommand.class,
                ExperimentCommand.class,
                CurateCommand.class,
                DocsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.setProperty("millrace.log.file", logFile(args));
        System.exit(execute(args));
    }

    /** The log file under the data directory the arguments name (before any logger starts). */
    static String logFile(String[] args) {
        String dataDir = System.getenv().getOrDefault("MILLRACE_DATA_DIR", "millrace-data");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                dataDir = args[i + 1];
            } else if (args[i].startsWith("--data-dir=")) {
                dataDir = args[i].substring("--data-dir=".length());
            }
        }
        return java.nio.file.Path.of(dataDir, "logs", "millrace.log").toString();
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output and error streams and returns its exit code. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Main::oneLineParameterError);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("millrace " + cmd.getCommandName() + ": " + rootMessage(e));
            return 2;
        });
        return cli.execute(args);
    }

    /** Unknown flags and bad values: one line naming what was wrong, then where to look. */
    private static int oneLineParameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("millrace: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return 2;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"millrace " + (v == null ? "development build" : v)};
        }
    }
}
