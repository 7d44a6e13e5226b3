package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/duboko/duboko/graph"
	"github.com/duboko/duboko/internal/atomicfile"
	"github.com/duboko/duboko/models"
	"github.com/duboko/duboko/tensor"
)

func runSummary(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("summary", "Prints each layer's output shape, parameters, scalar multiplications and additions,\n"+
		"activation memory for the batch and receptive field, with totals.\n\nModels:\n"+describeModels(), stdout)
	name := fs.String("model", "cnn", "model to summarise")
	batch := fs.Int("batch", 50, "batch size for shapes, operation counts and activation memory")
	bytesPer := fs.Int("bytes", 4, "bytes per element for memory figures (4: float32, 8: float64)")
	steps := fs.Int("steps", 20, "sst-* models: words per sentence (time steps)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *batch < 1 {
		return usageError{fmt.Sprintf("--batch must be at least 1, got %d", *batch)}
	}
	if *bytesPer < 1 {
		return usageError{fmt.Sprintf("--bytes must be at least 1, got %d", *bytesPer)}
	}
	if _, ok := sstModel(*name); ok {
		if *steps < 1 {
			return usageError{fmt.Sprintf("--steps must be at least 1, got %d", *steps)}
		}
		return sstSummary(stdout, *name, *batch, *steps, *bytesPer)
	}
	m, in, err := models.New(*name, tensor.NewRand(1))
	if err != nil {
		return usageError{err.Error()}
	}
	s, err := graph.Summarize(m, append([]int{*batch}, in...), graph.SummaryOptions{Name: *name, ElementSize: *bytesPer})
	if err != nil {
		return err
	}
	_, err = s.WriteTo(stdout)
	return err
}

func runGraph(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("graph", "Draws the computational graph of one forward pass of a model (batch 1), or with\n"+
		"--backward the graph of gradients with each edge's Jacobian shape and structure.\n"+
		"svg, png and html need Graphviz's dot (Debian package graphviz).\n"+
		"For the sst-* models, --steps N draws the recurrent layer unrolled over a sentence of N words.\n\nModels:\n"+describeModels(), stdout)
	name := fs.String("model", "cnn", "model to draw")
	steps := fs.Int("steps", 0, "sst-* models: draw the recurrent layer unrolled over this many words (0: the fused layer over 5 words)")
	backward := fs.Bool("backward", false, "draw the backward (gradient) graph")
	format := fs.String("format", "", "text, dot, svg, png or html (default: from --out's extension, else text)")
	out := fs.String("out", "", "output file (default: standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	f := *format
	if f == "" {
		f = strings.TrimPrefix(filepath.Ext(*out), ".")
		if f == "" || f == "txt" {
			f = "text"
		}
	}
	known := false
	for _, k := range graph.Formats {
		known = known || k == f
	}
	if !known {
		return usageError{fmt.Sprintf("unknown --format %q (want one of %s)", f, strings.Join(graph.Formats, ", "))}
	}
	if *out == "" && (f == "png") {
		return usageError{"--format png needs --out FILE"}
	}
	var g *graph.Graph
	var err error
	if _, ok := sstModel(*name); ok {
		if *steps < 0 || *steps > 50 {
			return usageError{fmt.Sprintf("--steps must be in 0..50, got %d", *steps)}
		}
		n := *steps
		if n == 0 {
			n = 5
		}
		if g, err = sstGraph(*name, n, *steps > 0); err != nil {
			return err
		}
	} else {
		if *steps != 0 {
			return usageError{"--steps applies to the sst-* models only"}
		}
		m, in, err := models.New(*name, tensor.NewRand(1))
		if err != nil {
			return usageError{err.Error()}
		}
		if g, err = graph.FromModel(m, append([]int{1}, in...)); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if *backward {
		err = graph.RenderBackward(g, f, &buf)
	} else {
		err = graph.Render(g, f, &buf)
	}
	if errors.Is(err, graph.ErrNoGraphviz) {
		return fmt.Errorf("--format %s needs Graphviz's dot, which is not installed (Debian: apt-get install graphviz); --format dot or text work without it", f)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := atomicfile.WriteBytes(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
