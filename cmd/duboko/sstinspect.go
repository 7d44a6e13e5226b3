package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/safetensors"
	"github.com/duboko/duboko/tensor"
	"github.com/duboko/duboko/train"
)

// The sentiment models of lab 3 are named sst-baseline, sst-rnn, sst-gru
// and sst-lstm by summary, graph and eval ('duboko train --task sst
// --model gru' trains sst-gru). Their input is a padded batch of token
// ids: summary and graph take the words per sentence from --steps, and
// the vocabulary is the embedded SST training set's (14,806 tokens).

const sstPrefix = "sst-"

// sstModel returns the sentiment model's own name ("gru" for "sst-gru")
// and whether name is one of them.
func sstModel(name string) (string, bool) {
	n, ok := strings.CutPrefix(name, sstPrefix)
	if !ok {
		return "", false
	}
	for _, k := range models.SSTNames() {
		if k == n {
			return n, true
		}
	}
	return "", false
}

// describeModels is models.Describe with the sentiment models added under
// their command-line names.
func describeModels() string {
	var b strings.Builder
	b.WriteString(models.Describe())
	for _, line := range strings.Split(strings.TrimRight(models.DescribeSST(), "\n"), "\n") {
		b.WriteString("  " + sstPrefix + strings.TrimPrefix(line, "  ") + "\n")
	}
	return b.String()
}

// newSSTForInspection builds the named sentiment model for the full SST
// training vocabulary with the lab's embedding dimension.
func newSSTForInspection(name string) (models.SentimentModel, int, error) {
	vocab, _, _, _, err := sstDatasets(0)
	if err != nil {
		return nil, 0, err
	}
	m, err := models.NewSST(name, tensor.NewRand(1), vocab.Len(), models.SSTEmbedDim)
	return m, vocab.Len(), err
}

// sstSummary prints the layer table of a sentiment model for a batch of
// sentences of steps words.
func sstSummary(stdout io.Writer, name string, batch, steps, bytesPer int) error {
	short, _ := sstModel(name)
	m, vocab, err := newSSTForInspection(short)
	if err != nil {
		return err
	}
	chain := m.Chain()
	s, err := graph.Summarize(chain, []int{batch, steps}, graph.SummaryOptions{
		Name: fmt.Sprintf("%s (vocabulary %d, sentences of %d words)", name, vocab, steps), ElementSize: bytesPer, IntInput: true})
	if err != nil {
		return err
	}
	_, err = s.WriteTo(stdout)
	return err
}

// sstGraph returns the graph of one forward pass of a sentiment model on
// one sentence of steps words (pseudo-random ids, seed 1); with unrolled,
// the recurrent layer drawn step by step (the baseline has none).
func sstGraph(name string, steps int, unrolled bool) (*graph.Graph, error) {
	short, _ := sstModel(name)
	m, vocab, err := newSSTForInspection(short)
	if err != nil {
		return nil, err
	}
	rng := tensor.NewRand(1)
	ids := make([]int, steps)
	for i := range ids {
		ids[i] = 2 + rng.IntN(vocab-2)
	}
	x := tensor.FromInts(ids, 1, steps).SetName("ids")
	if !unrolled {
		return graph.FromInput(m, x)
	}
	r, ok := m.(*models.Recurrent)
	if !ok {
		return nil, usageError{fmt.Sprintf("--steps draws a recurrent layer unrolled; %s has none (draw it without --steps)", name)}
	}
	m.SetTraining(false)
	y, _ := r.ForwardUnrolled(x, nil)
	return graph.Build(y.SetName("logit"), graph.WithModule(m), graph.WithInputs(x)), nil
}

// sstEval evaluates a sentiment checkpoint (its metadata says task sst)
// on the SST test set: the vocabulary is rebuilt from the training
// sentences the run used (its max_train) and must match the checkpoint's.
func sstEval(stdout io.Writer, path, model string) error {
	r, err := safetensors.Open(path)
	if err != nil {
		return err
	}
	meta := r.Metadata
	emb, ok := r.Info("embedding.weight")
	r.Close()
	if model == "" {
		model = meta["model"]
	}
	if !ok || len(emb.Shape) != 2 {
		return fmt.Errorf("%s: no embedding.weight [vocabulary, dimension]: not a sentiment checkpoint", path)
	}
	maxTrain := 0
	if s := meta["max_train"]; s != "" {
		if maxTrain, err = strconv.Atoi(s); err != nil || maxTrain < 0 {
			return fmt.Errorf("%s: bad max_train %q in the metadata", path, s)
		}
	}
	vocab, _, _, testSet, err := sstDatasets(maxTrain)
	if err != nil {
		return err
	}
	if fp := meta["vocab"]; fp != "" && fp != vocab.Fingerprint() {
		return fmt.Errorf("%s was trained with another vocabulary (vocab %s; the SST training sentences give %s): it cannot be evaluated here", path, fp, vocab.Fingerprint())
	}
	if emb.Shape[0] != vocab.Len() {
		return fmt.Errorf("%s: embedding of %d tokens, the vocabulary has %d", path, emb.Shape[0], vocab.Len())
	}
	m, err := models.NewSST(model, tensor.NewRand(1), vocab.Len(), emb.Shape[1])
	if err != nil {
		return usageError{err.Error()}
	}
	if _, err := train.LoadCheckpoint(path, m); err != nil {
		return err
	}
	task := &train.LossTask{Net: m, Loss: sstLoss(m)}
	ev, err := task.Evaluate(context.Background(), testSet)
	if err != nil {
		return err
	}
	if !finite(ev.Get("loss")) {
		return fmt.Errorf("the test loss of %s is %v", path, ev.Get("loss"))
	}
	fmt.Fprintf(stdout, "test accuracy: %.2f%%, F1 %.2f%% (%s%s, %d sentences, loss %.4f)\n",
		100*ev.Get("accuracy"), 100*ev.Get("f1"), sstPrefix, model, testSet.Len(), ev.Get("loss"))
	return nil
}
