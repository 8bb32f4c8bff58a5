package dev.vibed.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code vibed completion}: the bash/zsh completion script (picocli's AutoComplete), to source from a shell rc. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for bash and zsh.",
                "bash: source <(vibed completion)   zsh: autoload -U +X bashcompinit && bashcompinit && source <(vibed completion)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("vibed", spec.root().commandLine()));
        return 0;
    }
}
