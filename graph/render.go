package graph

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"os/exec"
	"strings"
)

// DotCommand is the Graphviz program used for SVG and PNG output: a name
// looked up in PATH or a path. Tests override it.
var DotCommand = "dot"

// Formats lists the output formats Render accepts.
var Formats = []string{"text", "dot", "svg", "png", "html"}

// ErrNoGraphviz is wrapped by GraphvizError when the dot program is missing.
var ErrNoGraphviz = errors.New("graphviz 'dot' not found")

// FormatError reports an output format Render does not know.
type FormatError struct {
	Format string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("graph: unknown format %q (want one of %s)", e.Format, strings.Join(Formats, ", "))
}

// GraphvizError reports that Graphviz's dot could not be run (Err wraps
// ErrNoGraphviz when it is not installed) or failed.
type GraphvizError struct {
	Command string // the dot program tried
	Err     error
	Stderr  string
}

func (e *GraphvizError) Error() string {
	if errors.Is(e.Err, ErrNoGraphviz) {
		return fmt.Sprintf("graph: Graphviz program %q not found; SVG and PNG output need it (Debian/Ubuntu: apt-get install graphviz); formats text and dot work without it", e.Command)
	}
	msg := fmt.Sprintf("graph: running %s: %v", e.Command, e.Err)
	if e.Stderr != "" {
		msg += ": " + strings.TrimSpace(e.Stderr)
	}
	return msg
}

func (e *GraphvizError) Unwrap() error { return e.Err }

// Render writes the forward graph of g in the given format: "text" (a
// listing), "dot" (Graphviz source), "svg" or "png" (rendered by Graphviz
// dot, which must be installed), or "html" (a self-contained page with
// the SVG and the text listing). Unknown formats return a *FormatError,
// a missing dot a *GraphvizError wrapping ErrNoGraphviz.
func Render(g *Graph, format string, w io.Writer) error {
	return RenderWith(g, format, w, false, Options{})
}

// RenderBackward is Render for the backward graph (gradients and the
// Jacobians on the edges).
func RenderBackward(g *Graph, format string, w io.Writer) error {
	return RenderWith(g, format, w, true, Options{})
}

// RenderWith is Render with a choice of graph (backward or forward) and
// options (values).
func RenderWith(g *Graph, format string, w io.Writer, backward bool, o Options) error {
	text := WriteText
	dot := WriteDOT
	title := "Forward graph"
	if backward {
		text, dot, title = WriteBackwardText, WriteBackwardDOT, "Backward graph"
	}
	switch format {
	case "text", "txt":
		return text(w, g, o)
	case "dot", "gv":
		return dot(w, g, o)
	case "svg", "png":
		var src bytes.Buffer
		if err := dot(&src, g, o); err != nil {
			return err
		}
		out, err := RunDot(src.Bytes(), format)
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		return err
	case "html":
		var src, listing bytes.Buffer
		if err := dot(&src, g, o); err != nil {
			return err
		}
		if err := text(&listing, g, o); err != nil {
			return err
		}
		svg, err := RunDot(src.Bytes(), "svg")
		if err != nil {
			return err
		}
		return writeHTML(w, title, svg, listing.String())
	}
	return &FormatError{Format: format}
}

// RunDot renders DOT source with Graphviz into format ("svg", "png", ...).
func RunDot(src []byte, format string) ([]byte, error) {
	path, err := exec.LookPath(DotCommand)
	if err != nil {
		return nil, &GraphvizError{Command: DotCommand, Err: fmt.Errorf("%w: %v", ErrNoGraphviz, err)}
	}
	cmd := exec.Command(path, "-T"+format)
	cmd.Stdin = bytes.NewReader(src)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &GraphvizError{Command: path, Err: err, Stderr: stderr.String()}
	}
	return stdout.Bytes(), nil
}

func writeHTML(w io.Writer, title string, svg []byte, listing string) error {
	// drop the XML prolog and DOCTYPE so the SVG can be inlined
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	_, err := fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>duboko: %s</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
.graph svg { max-width: 100%%; height: auto; }
</style>
</head>
<body>
<h1>%s</h1>
<div class="graph">
%s
</div>
<h2>Listing</h2>
<pre>%s</pre>
</body>
</html>
`, html.EscapeString(title), html.EscapeString(title), s, html.EscapeString(listing))
	return err
}
