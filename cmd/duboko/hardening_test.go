package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/duboko/duboko/data/idx"
	"github.com/duboko/duboko/data/mnist"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/train"
)

// tinyIDX writes an MNIST-format data set of n training and m test
// random h×w images into a new folder and returns it.
func tinyIDX(t *testing.T, n, m, h, w int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(n), uint64(h)))
	write := func(name string, a *idx.Array) {
		var b bytes.Buffer
		if err := idx.Write(&b, a); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set := func(imgName, lblName string, k int) {
		px := make([]byte, k*h*w)
		for i := range px {
			px[i] = byte(rng.IntN(256))
		}
		lb := make([]byte, k)
		for i := range lb {
			lb[i] = byte(rng.IntN(10))
		}
		write(imgName, &idx.Array{Type: idx.Uint8, Dims: []int{k, h, w}, Data: px})
		write(lblName, &idx.Array{Type: idx.Uint8, Dims: []int{k}, Data: lb})
	}
	set(mnist.TrainImagesFile, mnist.TrainLabelsFile, n)
	set(mnist.TestImagesFile, mnist.TestLabelsFile, m)
	return dir
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestMain removes the binary built by the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" && binErr == nil {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// binary builds the duboko command once per test process.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "duboko-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "duboko")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = err
			binPath = string(out)
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v\n%s", binErr, binPath)
	}
	return binPath
}

// TestNaNRunKeepsGoodCheckpoint is the reproduction: a run with
// --lr 1e20 resumed from a good checkpoint fails naming epoch and step,
// exits non-zero and leaves the checkpoint as it was; eval of a checkpoint
// holding NaN fails with one line.
func TestNaNRunKeepsGoodCheckpoint(t *testing.T) {
	data := tinyIDX(t, 600, 100, 28, 28)
	out := filepath.Join(t.TempDir(), "o")
	ck := filepath.Join(out, "checkpoint.safetensors")
	args := []string{"train", "--model", "mlp", "--data", data, "--val", "500", "--max-train", "50", "--no-plots", "--out", out}
	if code, _, stderr := duboko(append(args, "--epochs", "1", "--lr", "0.01")...); code != 0 {
		t.Fatal(stderr)
	}
	good, _ := os.ReadFile(ck)
	code, _, stderr := duboko(append(args, "--epochs", "2", "--resume", ck, "--lr", "1e20")...)
	oneLineError(t, code, stderr, "at epoch 2, step")
	if !strings.Contains(stderr, "try a smaller --lr") || !strings.Contains(stderr, "the checkpoint of epoch 1") {
		t.Fatalf("stderr %q", stderr)
	}
	if now, _ := os.ReadFile(ck); !bytes.Equal(good, now) {
		t.Fatal("the NaN run replaced the good checkpoint")
	}

	// a checkpoint holding NaN (as an old version could write) is refused
	f, _ := safetensors.ReadFile(ck)
	v := f.Tensors[0].Data
	copy(v[4:8], []byte{0, 0, 0xc0, 0x7f}) // a float32 NaN
	nanCk := filepath.Join(t.TempDir(), "nan.safetensors")
	safetensors.WriteFile(nanCk, f.Tensors, f.Metadata)
	code, _, stderr = duboko("eval", "--checkpoint", nanCk, "--data", data)
	oneLineError(t, code, stderr, "holds NaN")
}

// TestFlagErrors: bad values name their flag in one line, the help is not
// printed on an error, and printed once on --help.
func TestFlagErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lr", "inf"}, "--lr must be a finite number"},
		{[]string{"--lr", "nan"}, "--lr must be a finite number"},
		{[]string{"--decay", "nan"}, "--decay must be in"},
		{[]string{"--decay", "2"}, "--decay must be in"},
		{[]string{"--weight-decay", "nan"}, "--weight-decay must be a finite number"},
		{[]string{"--weight-decay", "inf"}, "--weight-decay must be a finite number"},
		{[]string{"--epochs", "2000000"}, "--epochs must be at most"},
		{[]string{"--metrics", filepath.Join(dir, "missing", "m.jsonl")}, "does not exist"},
		{[]string{"--metrics", dir}, "is a folder"},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		code, stdout, stderr := duboko(append([]string{"train", "--model", "mlp", "--out", ""}, c.args...)...)
		oneLineError(t, code, stderr, c.want)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "see 'duboko train --help'") {
			t.Errorf("%v: status %d, stdout %q, stderr %q", c.args, code, stdout, stderr)
		}
	}
	code, stdout, _ := duboko("train", "--help")
	if code != 0 || strings.Count(stdout, "Usage: duboko train") != 1 {
		t.Fatalf("--help: status %d, usage printed %d times", code, strings.Count(stdout, "Usage: duboko train"))
	}
}

// TestWrongImageSize: IDX images of another size name the size the model
// needs.
func TestWrongImageSize(t *testing.T) {
	data := tinyIDX(t, 60, 10, 10, 10)
	code, _, stderr := duboko("train", "--model", "mlp", "--data", data, "--val", "10", "--out", "")
	oneLineError(t, code, stderr, "are 10×10, but model mlp needs 28×28 images")
}

// TestNothingToDo: resuming a checkpoint that already has --epochs epochs
// says so and writes nothing.
func TestNothingToDo(t *testing.T) {
	data := tinyIDX(t, 120, 20, 28, 28)
	out := filepath.Join(t.TempDir(), "o")
	args := []string{"train", "--model", "mlp", "--data", data, "--val", "20", "--no-plots", "--out", out, "--epochs", "1", "--lr", "0.01"}
	if code, _, stderr := duboko(args...); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := duboko(append(args, "--resume", filepath.Join(out, "checkpoint.safetensors"))...)
	if code != 0 || !strings.Contains(stdout, "nothing to do") || strings.Contains(stdout, "epoch 1/1") {
		t.Fatalf("status %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestValNoneMetrics: with --val -1 the metrics file has null validation
// values and a final line; the checkpoint's history is not empty.
func TestValNoneMetrics(t *testing.T) {
	data := tinyIDX(t, 100, 20, 28, 28)
	dir := t.TempDir()
	out, metrics := filepath.Join(dir, "o"), filepath.Join(dir, "m.jsonl")
	code, _, stderr := duboko("train", "--model", "mlp", "--data", data, "--val", "-1", "--no-plots", "--out", out,
		"--epochs", "1", "--lr", "0.01", "--metrics", metrics)
	if code != 0 {
		t.Fatal(stderr)
	}
	lines := readLines(t, metrics)
	if len(lines) != 2 || !strings.Contains(lines[0], `"val_loss":null`) || !strings.Contains(lines[1], `"final":true`) {
		t.Fatalf("metrics %q", lines)
	}
	f, _ := safetensors.ReadFile(filepath.Join(out, "checkpoint.safetensors"))
	var h []any
	if json.Unmarshal([]byte(f.Metadata["history"]), &h); len(h) != 1 {
		t.Fatalf("history %q", f.Metadata["history"])
	}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startTrain starts the binary on a tiny data set with a slow enough run
// (many epochs of 2,000 images) and returns the command and its output.
func startTrain(t *testing.T, out string, extra ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	t.Helper()
	data := tinyIDX(t, 2100, 20, 28, 28)
	args := append([]string{"train", "--model", "mlp", "--data", data, "--val", "100", "--no-plots", "--out", out,
		"--epochs", "1000", "--lr", "0.001"}, extra...)
	cmd := exec.Command(binary(t), args...)
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, &stdout, &stderr
}

// waitFor polls until cond holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestSignals: SIGINT exits 130 and SIGTERM 143, "interrupted" printed
// once, naming the checkpoint left.
func TestSignals(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		out := filepath.Join(t.TempDir(), "o")
		cmd, _, stderr := startTrain(t, out)
		waitFor(t, "the first checkpoint", func() bool {
			_, err := os.Stat(filepath.Join(out, "checkpoint.safetensors"))
			return err == nil
		})
		cmd.Process.Signal(c.sig)
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		if code != c.code || strings.Count(stderr.String(), "interrupted") != 1 || !strings.Contains(stderr.String(), "the checkpoint of epoch") {
			t.Errorf("%v: status %d (%v), stderr %q; want status %d", c.sig, code, err, stderr.String(), c.code)
		}
		if _, err := safetensors.ReadFile(filepath.Join(out, "checkpoint.safetensors")); err != nil {
			t.Errorf("%v: checkpoint unreadable: %v", c.sig, err)
		}
	}
}

// TestKill9AroundCheckpoints kills the run at several moments around its
// checkpoint writes; after each kill the checkpoint is complete, the
// optimizer state matches its epoch (possibly after the next run's
// recovery), and a resumed run removes every temporary file.
func TestKill9AroundCheckpoints(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	ck := filepath.Join(out, "checkpoint.safetensors")
	for i, delay := range []time.Duration{0, 3 * time.Millisecond, 7 * time.Millisecond, 13 * time.Millisecond} {
		var extra []string
		if i > 0 {
			extra = []string{"--resume", ck}
		}
		cmd, stdout, stderr := startTrain(t, out, extra...)
		// wait for a checkpoint write of this run to begin, then kill
		before, _ := os.Stat(ck)
		waitFor(t, "a new checkpoint", func() bool {
			st, err := os.Stat(ck)
			return err == nil && (before == nil || st.ModTime() != before.ModTime())
		})
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if _, err := safetensors.ReadFile(ck); err != nil {
			t.Fatalf("kill %d: checkpoint corrupt: %v\n%s%s", i, err, stdout, stderr)
		}
	}
	// one more run to the next epoch: it recovers, restores a matching
	// optimizer state and leaves no temporary file
	cmd, stdout, stderr := startTrain(t, out, "--resume", ck)
	waitFor(t, "an epoch of the last run", func() bool { return strings.Contains(stdout.String(), "lr 0.001") })
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if !strings.Contains(stdout.String(), "restored the optimizer state of epoch") {
		t.Fatalf("optimizer state not restored after kills:\n%s\n%s", stdout, stderr)
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if n := e.Name(); n != "checkpoint.safetensors" && n != "optimizer.safetensors" {
			t.Errorf("left in the output folder: %s", n)
		}
	}
}

// TestStaleTempRemoved: a temporary checkpoint left by a kill is removed
// when the next run starts.
func TestStaleTempRemoved(t *testing.T) {
	data := tinyIDX(t, 120, 20, 28, 28)
	out := t.TempDir()
	stale := filepath.Join(out, ".checkpoint.safetensors.tmp-42")
	os.WriteFile(stale, []byte("half a checkpoint"), 0o644)
	code, stdout, stderr := duboko("train", "--model", "mlp", "--data", data, "--val", "20", "--no-plots", "--out", out, "--epochs", "1", "--lr", "0.01")
	if code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) || !strings.Contains(stdout, "removed") {
		t.Fatalf("stale file still there (%v):\n%s", err, stdout)
	}
}

// cancelOn cancels a context when the log shows marker.
type cancelOn struct {
	cancel context.CancelFunc
	marker string
}

func (w cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.marker) {
		w.cancel()
	}
	return len(p), nil
}

// TestInterruptAfterLastEpoch: a Ctrl-C that arrives after the last
// training step (here: when the last epoch's line is printed) makes the run
// end as interrupted, not as a success, with the last checkpoint written.
func TestInterruptAfterLastEpoch(t *testing.T) {
	data := tinyIDX(t, 120, 20, 28, 28)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := defaultMNIST()
	c.Model, c.DataDir, c.ValSize, c.Epochs, c.LR, c.OutDir, c.Plots = "mlp", data, 20, 1, 0.01, t.TempDir(), false
	c.Log = cancelOn{cancel, "epoch 1/1  lr"}
	res, err := runMNIST(ctx, c)
	if !errors.Is(err, train.ErrInterrupted) || len(res.History) != 1 {
		t.Fatalf("got %v, want ErrInterrupted after epoch 1", err)
	}
	if _, err := os.Stat(filepath.Join(c.OutDir, train.CheckpointName)); err != nil {
		t.Fatal(err)
	}
}
