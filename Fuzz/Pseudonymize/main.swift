import FrontierFuzzDriver
import FrontierFuzzTargets

// libFuzzer's driver over one body; built only by scripts/fuzz (FRONTIER_FUZZ=1).
runFuzzer(FuzzTarget.pseudonymize)
