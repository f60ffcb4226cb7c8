package org.millrace.ops;

import org.millrace.ops.cli.BenchCommand;
import org.millrace.ops.cli.BrokerCommand;
import org.millrace.ops.cli.CorpusCommand;
import org.millrace.ops.cli.IngestCommand;
import org.millrace.ops.cli.RunCommand;
import org.millrace.ops.cli.SynthCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code millrace} command. */
@Command(name = "millrace", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Continuous curriculum pretraining of language models on curated data.",
        subcommands = {RunCommand.class, BrokerCommand.class, BenchCommand.class, CorpusCommand.class, IngestCommand.class,
                SynthCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
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
