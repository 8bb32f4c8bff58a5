# vibeD warm runtime for Python: runs as `python3 -c <this>`, blocks until the agent writes the app on stdin,
# then becomes `python3 <main> <args...>`. Why each step: docs/ARCHITECTURE.md, "Warm runtimes".
def _vibed_warm():
    import os, sys
    # Pre-paid too: the stdlib web server plain-Python apps start from, and what it imports (most of such an app's
    # boot). Dropped again below if the app's folder would shadow any of it, so that imports resolve as under a
    # bare start.
    before = set(sys.modules)
    try:
        import http.server, socket
    except Exception:
        pass
    preloaded = [m for m in sys.modules if m not in before]
    try:
        os.write(3, b'waiting\n')  # loaded: the agent may report ready
    except OSError:
        pass
    data = b''
    while True:
        b = os.read(0, 65536)
        if not b:
            break
        data += b
    f = data.decode('utf-8', 'surrogateescape').split('\0')
    if len(f) < 4:
        raise SystemExit(0)  # the agent discarded this runtime
    cwd, main, port, argc = f[0], f[1], int(f[2]), int(f[3])
    args = f[4:4 + argc]
    env = f[4 + argc:-1]
    os.chdir(cwd)
    os.environ.clear()
    for kv in env:
        k, _, v = kv.partition('=')
        os.environ[k] = v
    path = os.path.abspath(main)
    sys.argv = [main] + args
    sys.orig_argv = [sys.orig_argv[0], main] + args
    sys.path[0] = os.path.dirname(os.path.realpath(main))
    del data, f, env, b
    if _vibed_shadowed(sys.path[0], {m.partition('.')[0] for m in preloaded}):
        for m in preloaded:
            sys.modules.pop(m, None)
        port = None  # no listen event then (the agent's probe sees the port)
    del preloaded, before
    _vibed_run(path, sys, port)


def _vibed_shadowed(folder, names):
    """Whether the app's folder holds a module or regular package by one of these names (a bare start's import
    would find it first); a folder without __init__ is a namespace portion, which a regular one later on the path
    wins over."""
    import os
    from importlib.machinery import all_suffixes
    suffixes = all_suffixes()
    try:
        entries = os.listdir(folder)
    except OSError:
        return True
    for e in entries:
        for s in suffixes:
            if e.endswith(s) and e[:-len(s)] in names:
                return True
        if e in names and any(os.path.isfile(os.path.join(folder, e, '__init__' + s)) for s in suffixes):
            return True
    return False


def _vibed_run(path, sys, port):
    _vibed_hook_listen(port)
    with open(path, 'rb') as fh:
        source = fh.read()
    code = compile(source, path, 'exec', dont_inherit=True)
    g = sys.modules['__main__'].__dict__
    loader = sys.modules['_frozen_importlib_external'].SourceFileLoader('__main__', path)
    g.clear()
    g.update(__name__='__main__', __doc__=None, __package__=None, __loader__=loader, __spec__=None,
             __annotations__={}, __builtins__=sys.modules['builtins'], __file__=path, __cached__=None)
    del fh, source
    try:
        exec(code, g)
    except (SystemExit, KeyboardInterrupt):
        raise  # the interpreter's own exit paths (an exit code; death by SIGINT)
    except BaseException as e:
        # What the interpreter does with an uncaught exception, minus this loader's frames.
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == '<string>':
            tb = tb.tb_next
        sys.excepthook(type(e), e.with_traceback(tb), tb)
        del e, tb
        raise SystemExit(1)


def _vibed_hook_listen(port):
    import os, sys
    socket = sys.modules.get('socket')
    if port is None or socket is None:
        try:
            os.close(3)  # no fd that a bare start lacks
        except OSError:
            pass
        return
    base = socket.socket.__mro__[1]
    state = {'fd': 3}

    def listen(self, *a):
        r = base.listen(self, *a)
        fd = state['fd']
        if fd >= 0:
            try:
                p = self.getsockname()[1]
            except (OSError, IndexError, TypeError):
                return r
            try:
                os.write(fd, b'listening %d\n' % p)
            except OSError:
                pass
            if p == port:
                del socket.socket.listen
                state['fd'] = -1
                try:
                    os.close(fd)
                except OSError:
                    pass
        return r
    listen.__name__ = listen.__qualname__ = 'listen'
    socket.socket.listen = listen


_vibed_warm()
