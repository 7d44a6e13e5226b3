// Package optim updates model parameters from their gradients and schedules
// the learning rate.
//
// # Optimizers
//
// An Optimizer owns a list of parameters (nn.Param, usually a module's
// Params()) and per-parameter state such as momentum buffers. A training
// step is
//
//	opt.ZeroGrad()   // forget the previous step's gradients
//	loss.Backward()  // fill p.Grad() for every parameter
//	opt.Step()       // update every parameter in place
//
// The update rules are exactly those of PyTorch 1.13's torch.optim (SGD
// with momentum, dampening, Nesterov and weight decay; Adam and AdamW with
// bias correction and optional AMSGrad; Adagrad; RMSprop), computed in the
// parameter's own dtype with the same order of operations, and tested
// against trajectories recorded from PyTorch (testdata/gen_optim.py).
// As in PyTorch, a parameter whose gradient is nil is skipped and its step
// counter (used by bias correction and Adagrad's lr decay) does not
// advance, and state is created lazily on a parameter's first update.
//
// Each optimizer takes a config struct; zero fields select PyTorch's
// defaults where PyTorch has one (documented per field), except weight
// decay, which is always literal: PyTorch's AdamW defaults to
// weight_decay=0.01, here it must be given. Invalid settings (a negative
// learning rate, Nesterov without momentum) panic with a *ConfigError, as
// other programmer errors do in duboko.
//
// # Learning-rate schedules
//
// A Schedule maps a 1-based counter to a learning rate. The counter is
// whatever the caller steps: the course counts epochs from 1
// (Piecewise(map[int]float64{1: 0.1, 3: 0.01}) is its lr_policy), while
// Exponential(lr0, 1-1e-4) stepped once per iteration reproduces
// torch.optim.lr_scheduler.ExponentialLR stepped every batch. A Scheduler
// binds a Schedule to an optimizer and counts the ticks:
//
//	sched := optim.NewScheduler(opt, optim.Exponential(0.1, 1-1e-4))
//	for each batch { ...; opt.Step(); sched.Step() }
//
// # Gradient clipping
//
// ClipGradNorm rescales all gradients together so that their joint 2-norm
// is at most a limit (torch.nn.utils.clip_grad_norm_); ClipGradValue clamps
// each gradient element (torch.nn.utils.clip_grad_value_).
package optim
