# vibeD warm runtime for Python: runs as `python3 -c <this>`, blocks until the agent writes the app on stdin,
# then becomes `python3 <main> <args...>`. Why each step: docs/ARCHITECTURE.md, "Warm runtimes".
def _vibed_warm():
    import os, sys
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

    import socket
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

    with open(path, 'rb') as fh:
        source = fh.read()
    code = compile(source, path, 'exec', dont_inherit=True)
    g = sys.modules['__main__'].__dict__
    loader = sys.modules['_frozen_importlib_external'].SourceFileLoader('__main__', path)
    g.clear()
    g.update(__name__='__main__', __doc__=None, __package__=None, __loader__=loader, __spec__=None,
             __annotations__={}, __builtins__=sys.modules['builtins'], __file__=path, __cached__=None)
    del data, f, env, fh, source, b
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
_vibed_warm()
