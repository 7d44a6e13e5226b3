// Command steps trains lab 3's sentiment model as `duboko train --task sst`
// does (the same model, loss, Adam, clipping and batch order as the job's
// trainer), step by step, and writes what a controlled comparison with
// PyTorch needs (bench/sst/torch_steps.py reads it):
//
//	DIR/init.safetensors      the initial weights (PyTorch's names)
//	DIR/order.json            each epoch's sample order and the vocabulary's fingerprint
//	DIR/duboko.json           each step's loss and gradient norm before clipping,
//	                          and with -eval the validation and test accuracy at the end
//	DIR/duboko-stepK.safetensors  the weights after step K, for each K of -save
//
// With -init FILE it starts from FILE's weights (for example PyTorch's
// initialisation written by torch_steps.py --save-init) instead of its own,
// and with -order FILE it takes the batches in FILE's order (order.json's
// format, such as torch_steps.py --save-order writes) instead of the
// trainer's.
//
//	go run ./bench/sst/steps -model gru -seed 1 -steps 100 -dir /tmp/sstc
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/duboko/duboko/data"
	"github.com/duboko/duboko/data/sst"
	"github.com/duboko/duboko/data/text"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/optim"
	"github.com/duboko/duboko/tensor"
)

// record is DIR/duboko.json.
type record struct {
	Model    string    `json:"model"`
	Seed     uint64    `json:"seed"`
	LR       float64   `json:"lr"`
	Init     string    `json:"init"`
	Loss     []float64 `json:"loss"`
	GradNorm []float64 `json:"grad_norm"`
	ValAcc   float64   `json:"val_accuracy,omitempty"`
	// TrainWall and TrainCPU are the seconds the training steps took: wall
	// time and the process's CPU time (user + system, all threads).
	TrainWall float64 `json:"train_wall_seconds"`
	TrainCPU  float64 `json:"train_cpu_seconds"`
	TestAcc   float64 `json:"test_accuracy,omitempty"`
}

func main() {
	model := flag.String("model", "gru", "baseline, rnn, gru or lstm")
	seed := flag.Uint64("seed", 1, "seed of the initialisation and of the shuffles, as the job's --seed")
	lr := flag.Float64("lr", 1e-3, "Adam's learning rate")
	steps := flag.Int("steps", 100, "training steps (0: -epochs whole epochs)")
	epochs := flag.Int("epochs", 2, "epochs whose order is written (and trained when -steps is 0)")
	dir := flag.String("dir", "", "output folder (required)")
	initPath := flag.String("init", "", "start from these weights (safetensors) instead of the seed's")
	orderPath := flag.String("order", "", "take the batches in this order (order.json's format) instead of the trainer's")
	save := flag.String("save", "1,10,100", "steps after which the weights are written")
	eval := flag.Bool("eval", false, "measure validation and test accuracy at the end")
	cpuprof := flag.String("cpuprofile", "", "write a CPU profile of the training steps")
	flag.Parse()
	if *cpuprof != "" {
		f, err := os.Create(*cpuprof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "steps:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "steps:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*model, *seed, *lr, *steps, *epochs, *dir, *initPath, *orderPath, *save, *eval); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "steps:", err)
		os.Exit(1)
	}
}

func run(name string, seed uint64, lr float64, steps, epochs int, dir, initPath, orderPath, save string, eval bool) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	saveAt := map[int]bool{}
	for _, s := range strings.Split(save, ",") {
		if s == "" {
			continue
		}
		k, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("-save %q: %v", save, err)
		}
		saveAt[k] = true
	}
	trSet, vaSet, teSet, err := sst.Load()
	if err != nil {
		return err
	}
	vocab, err := text.NewVocab(trSet.Sentences)
	if err != nil {
		return err
	}
	ds := func(s *sst.Set) *text.Dataset {
		d, e := text.NewDataset(vocab.EncodeAll(s.Sentences), s.Labels)
		if e != nil {
			panic(e)
		}
		return d
	}
	tr, va, te := ds(trSet), ds(vaSet), ds(teSet)
	m, err := models.NewSST(name, tensor.NewRand(seed), vocab.Len(), models.SSTEmbedDim)
	if err != nil {
		return err
	}
	if initPath != "" {
		if _, err := nn.Load(initPath, m); err != nil {
			return err
		}
	}
	if err := nn.Save(filepath.Join(dir, "init.safetensors"), m, nil); err != nil {
		return err
	}
	// The trainer's loader: data.WithShuffle(seed), epoch k's order from (seed, k).
	loader := data.NewLoader(tr, 10, data.WithShuffle(seed))
	orders := make([][]int, epochs)
	for k := range orders {
		orders[k] = loader.Order(k)
	}
	if orderPath != "" {
		var o struct {
			Vocab  string  `json:"vocab"`
			Epochs [][]int `json:"epochs"`
		}
		b, err := os.ReadFile(orderPath)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return fmt.Errorf("-order %s: %v", orderPath, err)
		}
		if o.Vocab != vocab.Fingerprint() || len(o.Epochs) < epochs {
			return fmt.Errorf("-order %s: another vocabulary or fewer than %d epochs", orderPath, epochs)
		}
		orders = o.Epochs[:epochs]
	}
	if err := writeJSON(filepath.Join(dir, "order.json"), map[string]any{"vocab": vocab.Fingerprint(), "batch": 10, "epochs": orders}); err != nil {
		return err
	}
	// The job's step: train.LossTask.Step with sstLoss (cmd/duboko/sstjob.go).
	opt := optim.NewAdam(m.Params(), optim.AdamConfig{LR: lr})
	rec := record{Model: name, Seed: seed, LR: lr, Init: initPath}
	step := 0
	m.SetTraining(true)
	wall0, cpu0 := time.Now(), cpuSeconds()
train:
	for k := 0; k < epochs; k++ {
		for lo := 0; lo < len(orders[k]); lo += 10 {
			b := collate(tr, orders[k][lo:min(lo+10, len(orders[k]))])
			if steps > 0 && step == steps {
				break train
			}
			step++
			p, err := text.Unpad(b)
			if err != nil {
				return err
			}
			logits := m.ForwardText(tensor.FromInt64(p.IDs, p.N, p.T), tensor.FromInts(p.Lengths))
			y := make([]float32, p.N)
			for i, l := range p.Labels {
				if l == sst.Positive {
					y[i] = 1
				}
			}
			loss := nn.BCEWithLogits(logits, tensor.FromFloat32(y, p.N))
			rec.Loss = append(rec.Loss, loss.Item())
			opt.ZeroGrad()
			loss.Backward()
			rec.GradNorm = append(rec.GradNorm, optim.ClipGradNorm(m.Params(), 0.25))
			opt.Step()
			if saveAt[step] {
				if err := nn.Save(filepath.Join(dir, fmt.Sprintf("duboko-step%d.safetensors", step)), m, nil); err != nil {
					return err
				}
			}
		}
	}
	rec.TrainWall, rec.TrainCPU = time.Since(wall0).Seconds(), cpuSeconds()-cpu0
	fmt.Printf("%d training steps: %.2f s wall, %.2f s CPU (%d threads)\n", step, rec.TrainWall, rec.TrainCPU, runtime.GOMAXPROCS(0))
	if eval {
		rec.ValAcc, rec.TestAcc = accuracy(m, va), accuracy(m, te)
		fmt.Printf("after %d steps: val acc %.2f%%, test acc %.2f%%\n", step, 100*rec.ValAcc, 100*rec.TestAcc)
	}
	return writeJSON(filepath.Join(dir, "duboko.json"), rec)
}

// accuracy is the share of ds's sentences whose logit's sign matches the
// label, in batches of 100 without gradients, as the job evaluates.
func accuracy(m models.SentimentModel, ds *text.Dataset) float64 {
	m.SetTraining(false)
	defer m.SetTraining(true)
	correct := 0
	tensor.NoGrad(func() {
		for b := range data.NewLoader(ds, 100).Epoch() {
			p, err := text.Unpad(b)
			if err != nil {
				panic(err)
			}
			logits := m.ForwardText(tensor.FromInt64(p.IDs, p.N, p.T), tensor.FromInts(p.Lengths))
			for i, l := range logits.Float32s() {
				if (l > 0) == (p.Labels[i] == sst.Positive) {
					correct++
				}
			}
		}
	})
	return float64(correct) / float64(ds.Len())
}

// collate returns the sentences idx of ds as the trainer's loader batches
// them: rows of [length, ids..., PadID...].
func collate(ds *text.Dataset, idx []int) *data.Batch {
	w := ds.SampleShape()[0]
	b := &data.Batch{X: make([]float32, len(idx)*w), Shape: []int{len(idx), w}, Labels: make([]int, len(idx))}
	for j, i := range idx {
		b.Labels[j] = ds.Sample(i, b.X[j*w:(j+1)*w])
	}
	return b
}

// cpuSeconds returns the process's CPU time so far, user + system.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
