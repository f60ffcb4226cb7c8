package org.millrace.ops.cli;

import picocli.CommandLine.Command;

/** {@code millrace tokenizer}: the tokenizer's subcommands. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Train the BPE tokenizer.",
        subcommands = {TokenizerTrainCommand.class})
public final class TokenizerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to do, e.g. 'millrace tokenizer train'");
    }
}
