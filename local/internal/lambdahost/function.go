package lambdahost

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// function is the runtime state of one Lambda function: its instances and its concurrency.
type function struct {
	h       *Host
	cfg     *model.Function
	arn     string
	timeout time.Duration
	creds   credentials
	env     map[string]string // without the per-instance variables

	// slots holds one token per running invocation (or booting instance). Its capacity is the
	// concurrency limit, so the live instances (busy + idle) never exceed it: a new instance
	// only starts when no idle one is left.
	slots    chan struct{}
	throttle bool // reserved concurrency: at the limit, fail instead of waiting

	prepOnce sync.Once
	argv     []string
	prepErr  error

	mu   sync.Mutex
	idle []*instance // LIFO: the most recently used instance is the warmest
	live map[*instance]struct{}
}

// prepare decides, once, how this function's executable runs here (which may mean rebuilding it).
func (fn *function) prepare() error {
	fn.prepOnce.Do(func() {
		fn.argv, fn.prepErr = fn.h.command(fn.cfg)
		if fn.prepErr != nil {
			fn.prepErr = fmt.Errorf("%w: function %q (stack %q, resource %q): %v", ErrNotRunnable, fn.cfg.Name, fn.cfg.Stack, fn.cfg.LogicalID, fn.prepErr)
			fn.h.log.Warn("function cannot run locally", "function", fn.cfg.Name, "error", fn.prepErr)
		}
	})
	return fn.prepErr
}

func (fn *function) acquire(ctx context.Context) error {
	select {
	case fn.slots <- struct{}{}:
		return nil
	default:
	}
	if fn.throttle {
		return ErrThrottled
	}
	select {
	case fn.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-fn.h.closed:
		return errClosed
	}
}

func (fn *function) release() { <-fn.slots }

func (fn *function) popIdle() *instance {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	for n := len(fn.idle); n > 0; n = len(fn.idle) {
		inst := fn.idle[n-1]
		fn.idle[n-1] = nil
		fn.idle = fn.idle[:n-1]
		if !inst.dead() {
			return inst
		}
	}
	return nil
}

func (fn *function) putIdle(inst *instance) {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if _, live := fn.live[inst]; live && !inst.dead() {
		fn.idle = append(fn.idle, inst)
	}
}

// forget drops an instance that exited.
func (fn *function) forget(inst *instance) {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	delete(fn.live, inst)
	for i, x := range fn.idle {
		if x == inst {
			fn.idle = append(fn.idle[:i], fn.idle[i+1:]...)
			break
		}
	}
}

func (fn *function) invoke(ctx context.Context, payload []byte) (*Result, error) {
	if len(payload) > MaxRequestPayload {
		return nil, fmt.Errorf("%w (payload is %d bytes)", ErrRequestTooLarge, len(payload))
	}
	if err := fn.prepare(); err != nil {
		return nil, err
	}
	if fn.h.isClosed() {
		return nil, errClosed
	}
	if err := fn.acquire(ctx); err != nil {
		return nil, err
	}
	inv := newInvocation(fn.arn, payload, fn.timeout)
	for {
		inst := fn.popIdle()
		if inst == nil {
			var err error
			if inst, err = fn.start(); err != nil {
				fn.release()
				return nil, err
			}
			res, err := fn.awaitInit(ctx, inst, inv.id)
			if err != nil {
				return nil, err // the slot is released when the init finishes in the background
			}
			if res != nil {
				fn.release()
				return res, nil
			}
		}
		select {
		case inst.api.next <- inv:
		default:
			// Cannot happen for an idle instance (its previous invocation was taken by /next);
			// if it does, the instance is unusable.
			inst.kill("its invocation queue was not empty")
			continue
		}
		res, retry, err := fn.await(ctx, inst, inv)
		if retry {
			// The instance died before its runtime took the invocation, so the handler never
			// saw it (a runtime that exits right after answering, say): run it on another.
			inv = newInvocation(fn.arn, payload, fn.timeout)
			continue
		}
		return res, err
	}
}

// awaitInit waits until a new instance is ready (its first /next). It returns a Result when init
// failed, an error when ctx ended first (the init then finishes in the background, where the
// slot is released), and nil, nil when the instance is ready.
func (fn *function) awaitInit(ctx context.Context, inst *instance, requestID string) (*Result, error) {
	timer := time.NewTimer(fn.h.initTimeout)
	defer timer.Stop()
	select {
	case <-inst.api.ready:
		return nil, nil
	case <-inst.exited:
		select {
		case <-inst.api.ready: // became ready and then died: await retries elsewhere
			return nil, nil
		default:
		}
		if fe := inst.api.initErr.Load(); fe != nil {
			fn.h.log.Warn("function init failed: the runtime reported an init error", "function", fn.cfg.Name, "errorType", fe.Type, "errorMessage", fe.Message)
			copied := *fe
			return &Result{FunctionError: &copied, RequestID: requestID}, nil
		}
		fe := exitError(requestID, inst.exitErr)
		fn.h.log.Warn("function init failed: the runtime exited before asking for an invocation", "function", fn.cfg.Name, "error", fe.Message)
		return &Result{FunctionError: fe, RequestID: requestID}, nil
	case <-timer.C:
		inst.kill("init timed out")
		fn.h.log.Warn("function init timed out", "function", fn.cfg.Name, "limit", fn.h.initTimeout)
		fe := timeoutError(requestID, fn.h.initTimeout)
		return &Result{FunctionError: fe, RequestID: requestID}, nil
	case <-ctx.Done():
		go func() {
			defer fn.release()
			if res, _ := fn.awaitInit(context.Background(), inst, requestID); res == nil {
				fn.putIdle(inst)
			}
		}()
		return nil, ctx.Err()
	}
}

// await waits for the outcome of an invocation queued on inst and then releases the slot (and
// the instance, when it can serve again). retry means the instance died before the runtime took
// the invocation; the slot is then still held.
func (fn *function) await(ctx context.Context, inst *instance, inv *invocation) (res *Result, retry bool, err error) {
	timer := time.NewTimer(inv.timeout)
	defer timer.Stop()
	select {
	case res = <-inv.done:
	case <-inst.exited:
		if inv.state.CompareAndSwap(invQueued, invAbandoned) {
			return nil, true, nil
		}
		if inv.finish(&Result{FunctionError: exitError(inv.id, inst.exitErr)}) {
			fn.h.log.Warn("function instance exited during an invocation", "function", fn.cfg.Name, "requestId", inv.id, "error", inst.exitErr)
		}
		res = <-inv.done
	case <-timer.C:
		if inv.finish(&Result{FunctionError: timeoutError(inv.id, inv.timeout)}) {
			inst.kill("the invocation timed out")
			fn.h.log.Warn("function timed out; its instance was stopped", "function", fn.cfg.Name, "requestId", inv.id, "timeout", inv.timeout)
		}
		res = <-inv.done
	case <-ctx.Done():
		go func() {
			if _, retry, _ := fn.await(context.Background(), inst, inv); retry {
				fn.release()
			}
		}()
		return nil, false, ctx.Err()
	}
	if res.FunctionError == nil || !res.FunctionError.Timeout {
		fn.putIdle(inst)
	}
	fn.release()
	return res, false, nil
}

func (fn *function) warm(ctx context.Context) error {
	if err := fn.prepare(); err != nil {
		return err
	}
	if fn.h.isClosed() {
		return errClosed
	}
	select {
	case fn.slots <- struct{}{}:
	default:
		if cap(fn.slots) == 0 {
			return ErrThrottled
		}
		return nil // every slot is busy: the function is as warm as it can be
	}
	if inst := fn.popIdle(); inst != nil {
		fn.putIdle(inst)
		fn.release()
		return nil
	}
	inst, err := fn.start()
	if err != nil {
		fn.release()
		return err
	}
	res, err := fn.awaitInit(ctx, inst, "warm-up")
	if err != nil {
		return err
	}
	fn.release()
	if res != nil {
		return fmt.Errorf("init failed: %w", res.FunctionError)
	}
	fn.putIdle(inst)
	return nil
}

func timeoutError(requestID string, limit time.Duration) *FunctionError {
	fe := &FunctionError{
		Type:    "Sandbox.Timedout",
		Message: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", requestID, limit.Seconds()),
		Timeout: true,
	}
	fe.Payload = marshalFunctionError(fe)
	return fe
}

// exitError is what Lambda reports when the runtime process ends without answering.
func exitError(requestID string, exitErr error) *FunctionError {
	why := "Runtime exited without providing a reason"
	if exitErr != nil {
		why = "Runtime exited with error: " + exitErr.Error()
	}
	fe := &FunctionError{Type: "Runtime.ExitError", Message: "RequestId: " + requestID + " Error: " + why}
	fe.Payload = marshalFunctionError(fe)
	return fe
}
