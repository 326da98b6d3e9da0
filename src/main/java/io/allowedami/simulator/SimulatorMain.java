package io.allowedami.simulator;

import picocli.CommandLine;

/** Standalone entry point of the simulator (the app's main CLI mounts {@link SimulatorCommand} as `simulator`). */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorCommand()).execute(args));
    }
}
