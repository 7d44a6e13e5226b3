package nn

// Name returns the activation's name ("ReLU", "Sigmoid", ...), for
// summaries and graphs.
func (a *elementwise) Name() string { return a.name }

// Name returns the wrapped layer's name (its Go type), for summaries and
// graphs.
func (w *wrapped) Name() string { return w.name }

// Unwrap returns the hand-written layer inside a wrapped Module.
func (w *wrapped) Unwrap() Layer { return w.l }

// Name returns "BatchNorm1d" or "BatchNorm2d".
func (b *BatchNorm) Name() string { return b.name }
