package kernel

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestCPUEnvWarningOnStderr runs this test binary again (running no test)
// with DUBOKO_CPU set to a name no path has, and with it unset: the package's
// init must say on standard error, once, that the setting was ignored, and
// say nothing when there is nothing to say.
func TestCPUEnvWarningOnStderr(t *testing.T) {
	if os.Getenv("DUBOKO_CPU_CHILD") != "" {
		t.Skip("child process")
	}
	run := func(env string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "DUBOKO_CPU_CHILD=1", cpuEnvVar+"="+env)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s=%q: %v (stderr %q)", cpuEnvVar, env, err, stderr.String())
		}
		// only the package's lines: the testing package may add its own
		var lines []string
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.HasPrefix(l, "duboko") {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	}
	want := "duboko: " + cpuEnvVar + "=sse9 ignored: want one of generic, avx2, avx512"
	if got := run("sse9"); got != want {
		t.Errorf("%s=sse9: stderr %q, want %q", cpuEnvVar, got, want)
	}
	if got := run(""); got != "" {
		t.Errorf("%s unset: stderr %q, want no warning", cpuEnvVar, got)
	}
}
