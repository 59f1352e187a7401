"""A small interpreter for the subset of Go that gitleaks' rule generators are written in.

gitleaks builds each rule's true/false examples with Go code (string literals, concatenation,
``fmt.Sprintf``, helper calls, slices, maps, ``append``, a few loops). There is no Go toolchain
here, so ``extract_gitleaks.py`` reads those sources with this interpreter instead: a lexer with
Go's semicolon insertion, a parser for declarations, statements and expressions, and an
evaluator whose values are plain Python ones (str, int, float, bool, list, dict, callables).
Anything outside the subset raises ``Unsupported`` with the construct named, so the extraction
can count what it could not read and why, rather than guess.

This reads data; it never runs Go, and it knows only the library calls the extraction gives it
(``Interpreter.natives``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Unsupported(Exception):
    """A Go construct or library call outside the subset this interpreter reads."""


# -- lexer --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # ident, keyword, string, rune, int, float, op, semi, eof
    value: Any
    line: int


KEYWORDS = {"break", "case", "chan", "const", "continue", "default", "defer", "else",
            "fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map",
            "package", "range", "return", "select", "struct", "switch", "type", "var"}
OPERATORS = sorted([
    "&^=", "<<=", ">>=", "...", "&&", "||", "<-", "++", "--", "==", "!=", "<=", ">=", ":=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "&^", "+", "-", "*", "/", "%",
    "&", "|", "^", "<", ">", "=", "!", "(", ")", "[", "]", "{", "}", ",", ";", ".", ":", "~",
], key=len, reverse=True)
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", "'": "'", '"': '"'}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+|\d[\d_]*(\.\d*)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?")


def _unquote(body: str, line: int) -> str:
    """The value of an interpreted Go string literal's body (escapes resolved)."""
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in _ESCAPES:
            out.append(_ESCAPES[e])
            i += 2
        elif e == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif e == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif e == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        elif e in "01234567":
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
        else:
            raise Unsupported(f"line {line}: unknown escape \\{e}")
    return "".join(out)


def tokenize(source: str) -> list[Token]:
    """Go tokens, with the semicolons Go inserts at line ends."""
    tokens: list[Token] = []
    i, line, n = 0, 1, len(source)

    def ends_statement() -> bool:
        if not tokens:
            return False
        last = tokens[-1]
        return (last.kind in ("ident", "string", "rune", "int", "float")
                or (last.kind == "keyword" and last.value in ("break", "continue",
                                                              "fallthrough", "return"))
                or (last.kind == "op" and last.value in ("++", "--", ")", "]", "}")))

    while i < n:
        c = source[i]
        if c == "\n":
            if ends_statement():
                tokens.append(Token("semi", "\n", line))
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif source.startswith("//", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
        elif source.startswith("/*", i):
            j = source.index("*/", i + 2)
            if "\n" in source[i:j] and ends_statement():
                tokens.append(Token("semi", "\n", line))
            line += source.count("\n", i, j)
            i = j + 2
        elif c == "`":
            j = source.index("`", i + 1)
            tokens.append(Token("string", source[i + 1:j].replace("\r", ""), line))
            line += source.count("\n", i, j)
            i = j + 1
        elif c == '"':
            j = i + 1
            while source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            tokens.append(Token("string", _unquote(source[i + 1:j], line), line))
            i = j + 1
        elif c == "'":
            j = i + 1
            while source[j] != "'":
                j += 2 if source[j] == "\\" else 1
            tokens.append(Token("rune", ord(_unquote(source[i + 1:j], line)), line))
            i = j + 1
        elif (m := _IDENT.match(source, i)) is not None:
            word = m.group()
            tokens.append(Token("keyword" if word in KEYWORDS else "ident", word, line))
            i = m.end()
        elif c.isdigit() or (c == "." and i + 1 < n and source[i + 1].isdigit()):
            m = _NUMBER.match(source, i)
            assert m is not None
            text = m.group().replace("_", "")
            if text.lower().startswith("0x"):
                tokens.append(Token("int", int(text, 16), line))
            elif any(ch in text for ch in ".eE"):
                tokens.append(Token("float", float(text), line))
            else:
                tokens.append(Token("int", int(text), line))
            i = m.end()
        else:
            op = next((o for o in OPERATORS if source.startswith(o, i)), None)
            if op is None:
                raise Unsupported(f"line {line}: unexpected character {c!r}")
            tokens.append(Token("op", op, line))
            i += len(op)
    if ends_statement():
        tokens.append(Token("semi", "\n", line))
    tokens.append(Token("eof", None, line))
    return tokens


# -- syntax tree --------------------------------------------------------------------------------
@dataclass
class Node:
    kind: str
    line: int
    args: list[Any] = field(default_factory=list)


@dataclass
class FuncDecl:
    name: str
    params: list[str]
    variadic: bool
    body: Node


@dataclass
class GoFile:
    package: str
    imports: dict[str, str]  # local name -> import path
    funcs: dict[str, FuncDecl]
    values: dict[str, Node]  # package-level var/const name -> initialiser expression


_BINARY = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
           "+": 4, "-": 4, "|": 4, "^": 4, "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5,
           "&^": 5}


class Parser:
    """Recursive descent over ``tokenize`` output: enough Go for rule generators."""

    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.pos = 0
        self.no_composite = 0

    # token helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def at(self, kind: str, value: Any = None) -> bool:
        t = self.tok
        return t.kind == kind and (value is None or t.value == value)

    def at_op(self, *values: str) -> bool:
        return self.tok.kind == "op" and self.tok.value in values

    def take(self, kind: str, value: Any = None) -> Token:
        if not self.at(kind, value):
            raise Unsupported(f"line {self.tok.line}: expected {value or kind}, "
                              f"got {self.tok.value!r}")
        t = self.tok
        self.pos += 1
        return t

    def skip_semis(self) -> None:
        while self.at("semi") or self.at_op(";"):
            self.pos += 1

    # file
    def parse_file(self) -> GoFile:
        self.skip_semis()
        self.take("keyword", "package")
        package = self.take("ident").value
        imports: dict[str, str] = {}
        funcs: dict[str, FuncDecl] = {}
        values: dict[str, Node] = {}
        self.skip_semis()
        while not self.at("eof"):
            if self.at("keyword", "import"):
                self.pos += 1
                specs = []
                if self.at_op("("):
                    self.pos += 1
                    self.skip_semis()
                    while not self.at_op(")"):
                        specs.append(self._import_spec())
                        self.skip_semis()
                    self.pos += 1
                else:
                    specs.append(self._import_spec())
                for name, path in specs:
                    imports[name] = path
            elif self.at("keyword", "func"):
                decl = self._func_decl()
                funcs[decl.name] = decl
            elif self.at("keyword", "var") or self.at("keyword", "const"):
                for name, expr in self._value_decl():
                    values[name] = expr
            elif self.at("keyword", "type"):
                raise Unsupported(f"line {self.tok.line}: type declarations")
            else:
                raise Unsupported(f"line {self.tok.line}: top-level {self.tok.value!r}")
            self.skip_semis()
        return GoFile(package, imports, funcs, values)

    def _import_spec(self) -> tuple[str, str]:
        alias = self.take("ident").value if self.at("ident") else None
        path = self.take("string").value
        return alias or path.rsplit("/", 1)[-1], path

    def _func_decl(self) -> FuncDecl:
        self.take("keyword", "func")
        if self.at_op("("):
            raise Unsupported(f"line {self.tok.line}: methods")
        name = self.take("ident").value
        params, variadic = self._params()
        self._result_type()
        body = self._block()
        return FuncDecl(name, params, variadic, body)

    def _params(self) -> tuple[list[str], bool]:
        self.take("op", "(")
        groups: list[list[str]] = []
        variadic = False
        while not self.at_op(")"):
            names = [self.take("ident").value]
            while self.at_op(",") and self.peek().kind == "ident" and self.peek(2).kind == "op" \
                    and self.peek(2).value in (",",):
                self.pos += 1
                names.append(self.take("ident").value)
            if self.at_op(","):  # "a, b string": more names before the type
                self.pos += 1
                names.append(self.take("ident").value)
            if self.at_op("..."):
                self.pos += 1
                variadic = True
            self._type()
            groups.append(names)
            if self.at_op(","):
                self.pos += 1
        self.take("op", ")")
        return [n for g in groups for n in g], variadic

    def _result_type(self) -> None:
        if self.at_op("{"):
            return
        if self.at_op("("):
            depth = 0
            while True:
                if self.at_op("("):
                    depth += 1
                elif self.at_op(")"):
                    depth -= 1
                self.pos += 1
                if depth == 0:
                    return
        self._type()

    def _type(self) -> Node:
        line = self.tok.line
        if self.at_op("*"):
            self.pos += 1
            return Node("ptrtype", line, [self._type()])
        if self.at_op("["):
            self.pos += 1
            if self.at_op("]"):
                self.pos += 1
                return Node("slicetype", line, [self._type()])
            if self.at_op("..."):
                self.pos += 1
            else:
                self._expr()
            self.take("op", "]")
            return Node("slicetype", line, [self._type()])
        if self.at("keyword", "map"):
            self.pos += 1
            self.take("op", "[")
            key = self._type()
            self.take("op", "]")
            return Node("maptype", line, [key, self._type()])
        if self.at("keyword", "func"):
            self.pos += 1
            self._params()
            if not self.at_op("{", ")", ",", ";", "}") and not self.at("semi"):
                self._result_type()
            return Node("functype", line)
        if self.at("keyword", "struct") or self.at("keyword", "interface"):
            self.pos += 1
            self.take("op", "{")
            self.skip_semis()
            self.take("op", "}")
            return Node("named", line, ["struct"])
        name = self.take("ident").value
        if self.at_op(".") and self.peek().kind == "ident":
            self.pos += 1
            name += "." + self.take("ident").value
        return Node("named", line, [name])

    def _value_decl(self) -> list[tuple[str, Node]]:
        self.pos += 1  # var / const
        out: list[tuple[str, Node]] = []
        if self.at_op("("):
            self.pos += 1
            self.skip_semis()
            while not self.at_op(")"):
                out += self._value_spec()
                self.skip_semis()
            self.pos += 1
        else:
            out += self._value_spec()
        return out

    def _value_spec(self) -> list[tuple[str, Node]]:
        line = self.tok.line
        names = [self.take("ident").value]
        while self.at_op(","):
            self.pos += 1
            names.append(self.take("ident").value)
        type_node = None
        if not self.at_op("=") and not self.at("semi") and not self.at_op(")", ";"):
            type_node = self._type()
        if self.at_op("="):
            self.pos += 1
            exprs = self._expr_list()
            return list(zip(names, exprs, strict=True))
        return [(name, Node("zero", line, [type_node])) for name in names]

    # statements
    def _block(self) -> Node:
        line = self.tok.line
        self.take("op", "{")
        stmts = []
        self.skip_semis()
        while not self.at_op("}"):
            stmts.append(self._stmt())
            self.skip_semis()
        self.take("op", "}")
        return Node("block", line, stmts)

    def _stmt(self) -> Node:
        t = self.tok
        if t.kind == "keyword":
            if t.value in ("var", "const"):
                return Node("decl", t.line, self._value_decl())
            if t.value == "return":
                self.pos += 1
                exprs = [] if (self.at("semi") or self.at_op("}", ";")) else self._expr_list()
                return Node("return", t.line, exprs)
            if t.value == "if":
                return self._if()
            if t.value == "for":
                return self._for()
            if t.value in ("continue", "break"):
                self.pos += 1
                return Node(t.value, t.line)
            raise Unsupported(f"line {t.line}: statement {t.value!r}")
        if self.at_op("{"):
            return self._block()
        return self._simple_stmt()

    def _simple_stmt(self) -> Node:
        line = self.tok.line
        lhs = self._expr_list()
        if self.at_op(":=", "=", "+=", "-="):
            op = self.take("op").value
            if self.at("keyword", "range"):
                self.pos += 1
                return Node("range", line, [op, lhs, self._expr()])
            return Node("assign", line, [op, lhs, self._expr_list()])
        if self.at_op("++", "--"):
            op = self.take("op").value
            return Node("assign", line, ["+=" if op == "++" else "-=", lhs,
                                         [Node("lit", line, [1])]])
        if len(lhs) != 1:
            raise Unsupported(f"line {line}: expression list as a statement")
        return Node("exprstmt", line, [lhs[0]])

    def _if(self) -> Node:
        line = self.take("keyword", "if").line
        self.no_composite += 1
        init = None
        stmt = self._simple_stmt()
        if self.at_op(";"):
            self.pos += 1
            init = stmt
            cond = self._expr()
        else:
            if stmt.kind != "exprstmt":
                raise Unsupported(f"line {line}: if header")
            cond = stmt.args[0]
        self.no_composite -= 1
        body = self._block()
        other = None
        if self.at("keyword", "else"):
            self.pos += 1
            other = self._if() if self.at("keyword", "if") else self._block()
        return Node("if", line, [init, cond, body, other])

    def _for(self) -> Node:
        line = self.take("keyword", "for").line
        if self.at_op("{"):
            return Node("for", line, [None, None, None, self._block()])
        self.no_composite += 1
        if self.at("keyword", "range"):
            self.pos += 1
            header = Node("range", line, [":=", [], self._expr()])
        else:
            first = None if self.at_op(";") else self._simple_stmt()
            if self.at_op(";"):
                self.pos += 1
                cond = None if self.at_op(";") else self._expr()
                self.take("op", ";")
                post = None if self.at_op("{") else self._simple_stmt()
                self.no_composite -= 1
                return Node("for", line, [first, cond, post, self._block()])
            header = first  # type: ignore[assignment]
        self.no_composite -= 1
        if header is not None and header.kind == "range":
            return Node("forrange", line, [header, self._block()])
        assert header is not None and header.kind == "exprstmt"
        return Node("for", line, [None, header.args[0], None, self._block()])

    # expressions
    def _expr_list(self) -> list[Node]:
        exprs = [self._expr()]
        while self.at_op(","):
            self.pos += 1
            exprs.append(self._expr())
        return exprs

    def _expr(self, min_prec: int = 1) -> Node:
        left = self._unary()
        while self.tok.kind == "op" and _BINARY.get(self.tok.value, 0) >= min_prec:
            op = self.tok.value
            line = self.tok.line
            self.pos += 1
            right = self._expr(_BINARY[op] + 1)
            left = Node("binary", line, [op, left, right])
        return left

    def _unary(self) -> Node:
        if self.at_op("!", "-", "&", "*", "+", "^"):
            t = self.take("op")
            operand = self._unary()
            return Node("unary", t.line, [t.value, operand])
        return self._postfix(self._primary())

    def _primary(self) -> Node:
        t = self.tok
        if t.kind in ("string", "int", "float", "rune"):
            self.pos += 1
            return Node("lit", t.line, [t.value])
        if t.kind == "op" and t.value == "(":
            self.pos += 1
            self.no_composite, saved = 0, self.no_composite
            inner = self._expr()
            self.no_composite = saved
            self.take("op", ")")
            return inner
        if t.kind == "op" and t.value == "[" or (t.kind == "keyword" and t.value == "map"):
            type_node = self._type()
            if self.at_op("{"):
                return self._composite(type_node)
            if self.at_op("("):  # conversion: []byte(x)
                return Node("convert", t.line, [type_node])
            return Node("typeexpr", t.line, [type_node])  # an argument of make()
        if t.kind == "keyword" and t.value == "func":
            self.pos += 1
            params, variadic = self._params()
            self._result_type()
            body = self._block()
            return Node("funclit", t.line, [FuncDecl("<literal>", params, variadic, body)])
        if t.kind == "ident":
            self.pos += 1
            node = Node("ident", t.line, [t.value])
            if self.at_op("{") and not self.no_composite and t.value[0].isupper():
                return self._composite(Node("named", t.line, [t.value]))
            return node
        raise Unsupported(f"line {t.line}: unexpected {t.value!r}")

    def _postfix(self, node: Node) -> Node:
        while True:
            if self.at_op("."):
                self.pos += 1
                name = self.take("ident").value
                node = Node("select", node.line, [node, name])
                if self.at_op("{") and not self.no_composite and node.args[0].kind == "ident" \
                        and name[0].isupper():
                    node = self._composite(Node("named", node.line,
                                                [f"{node.args[0].args[0]}.{name}"]))
            elif self.at_op("("):
                self.pos += 1
                self.no_composite, saved = 0, self.no_composite
                args: list[Node] = []
                spread = False
                self.skip_semis()
                while not self.at_op(")"):
                    args.append(self._expr())
                    if self.at_op("..."):
                        self.pos += 1
                        spread = True
                    if self.at_op(","):
                        self.pos += 1
                    self.skip_semis()
                self.pos += 1
                self.no_composite = saved
                node = Node("call", node.line, [node, args, spread])
            elif self.at_op("["):
                self.pos += 1
                low = None if self.at_op(":") else self._expr()
                if self.at_op(":"):
                    self.pos += 1
                    high = None if self.at_op("]") else self._expr()
                    self.take("op", "]")
                    node = Node("slice", node.line, [node, low, high])
                else:
                    self.take("op", "]")
                    node = Node("index", node.line, [node, low])
            else:
                return node

    def _composite(self, type_node: Node) -> Node:
        line = self.take("op", "{").line
        self.no_composite, saved = 0, self.no_composite
        elements: list[tuple[Node | None, Node]] = []
        self.skip_semis()
        while not self.at_op("}"):
            value = self._element()
            key = None
            if self.at_op(":"):
                self.pos += 1
                key, value = value, self._element()
            elements.append((key, value))
            if self.at_op(","):
                self.pos += 1
            self.skip_semis()
        self.pos += 1
        self.no_composite = saved
        return Node("composite", line, [type_node, elements])

    def _element(self) -> Node:
        if self.at_op("{"):  # elided type: {"a", "b"} inside [][]string{...}
            return self._composite(Node("elided", self.tok.line))
        return self._expr()


# -- evaluation ---------------------------------------------------------------------------------
class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


@dataclass
class Struct:
    """A Go struct value: its type name and its fields."""

    type: str
    fields: dict[str, Any]


@dataclass
class Pointer:
    """``&x`` of a local variable: reads and writes go through the scope."""

    scope: dict[str, Any]
    name: str


class Scope(dict):  # type: ignore[type-arg]
    """Variables of one block; lookups fall back to the enclosing block."""

    def __init__(self, parent: Scope | None = None) -> None:
        super().__init__()
        self.parent = parent

    def find(self, name: str) -> Scope | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope:
                return scope
            scope = scope.parent
        return None


Native = Callable[..., Any]


class Interpreter:
    """Evaluates functions of parsed Go packages.

    ``packages`` maps an import path to its files' declarations; ``natives`` maps
    ``"pkgname.Func"`` (the package's last path element) to a Python callable that stands in for
    a library call. ``interpret`` maps the same kind of name to a Go function to interpret
    instead (the helpers of gitleaks' own ``utils`` package).
    """

    def __init__(self, natives: dict[str, Native]) -> None:
        self.natives = dict(natives)
        self.packages: dict[str, tuple[dict[str, FuncDecl], dict[str, Node], dict[str, str]]] = {}
        self.package_values: dict[str, dict[str, Any]] = {}

    def load(self, import_path: str, files: list[GoFile]) -> None:
        funcs: dict[str, FuncDecl] = {}
        values: dict[str, Node] = {}
        imports: dict[str, str] = {}
        for go_file in files:
            funcs.update(go_file.funcs)
            values.update(go_file.values)
            imports.update(go_file.imports)
        self.packages[import_path] = (funcs, values, imports)
        self.package_values[import_path] = {}

    def reset_values(self) -> None:
        """Forget evaluated package-level values (they may hold generated secrets)."""
        for path in self.package_values:
            self.package_values[path] = {}

    def call(self, import_path: str, name: str, *args: Any) -> Any:
        funcs, _, _ = self.packages[import_path]
        return self._invoke(import_path, funcs[name], list(args))

    # functions
    def _invoke(self, pkg: str, decl: FuncDecl, args: list[Any],
                closure: Scope | None = None) -> Any:
        scope = Scope(closure)
        params = decl.params
        if decl.variadic:
            fixed = len(params) - 1
            for name, value in zip(params[:fixed], args[:fixed], strict=False):
                scope[name] = value
            scope[params[-1]] = list(args[fixed:])
        else:
            if len(args) != len(params):
                raise Unsupported(f"{decl.name}: {len(args)} arguments for {len(params)}")
            for name, value in zip(params, args, strict=True):
                scope[name] = value
        try:
            self._block(pkg, decl.body, scope)
        except _Return as ret:
            return ret.value
        return None

    # statements
    def _block(self, pkg: str, block: Node, scope: Scope) -> None:
        inner = Scope(scope)
        for stmt in block.args:
            self._stmt(pkg, stmt, inner)

    def _stmt(self, pkg: str, stmt: Node, scope: Scope) -> None:
        kind = stmt.kind
        if kind == "decl":
            for name, expr in stmt.args:
                scope[name] = self._eval(pkg, expr, scope)
        elif kind == "assign":
            op, lhs, rhs = stmt.args
            values = [self._eval(pkg, e, scope) for e in rhs]
            if len(lhs) > 1 and len(values) == 1 and isinstance(values[0], tuple):
                values = list(values[0])
            for target, value in zip(lhs, values, strict=True):
                self._assign(pkg, op, target, value, scope)
        elif kind == "exprstmt":
            self._eval(pkg, stmt.args[0], scope)
        elif kind == "return":
            values = [self._eval(pkg, e, scope) for e in stmt.args]
            raise _Return(values[0] if len(values) == 1 else tuple(values) or None)
        elif kind == "if":
            init, cond, body, other = stmt.args
            inner = Scope(scope)
            if init is not None:
                self._stmt(pkg, init, inner)
            if self._eval(pkg, cond, inner):
                self._block(pkg, body, inner)
            elif other is not None:
                if other.kind == "if":
                    self._stmt(pkg, other, inner)
                else:
                    self._block(pkg, other, inner)
        elif kind == "forrange":
            self._for_range(pkg, stmt, scope)
        elif kind == "for":
            self._for(pkg, stmt, scope)
        elif kind == "block":
            self._block(pkg, stmt, scope)
        elif kind == "break":
            raise _Break
        elif kind == "continue":
            raise _Continue
        else:
            raise Unsupported(f"line {stmt.line}: statement {kind}")

    def _assign(self, pkg: str, op: str, target: Node, value: Any, scope: Scope) -> None:
        if target.kind == "ident":
            name = target.args[0]
            if name == "_":
                return
            if op == ":=":
                scope[name] = value
                return
            owner = scope.find(name)
            if owner is None:
                raise Unsupported(f"line {target.line}: assignment to package variable {name}")
            owner[name] = owner[name] + value if op == "+=" else value
            return
        if target.kind == "index":
            container = self._eval(pkg, target.args[0], scope)
            key = self._eval(pkg, target.args[1], scope)
            container[key] = container[key] + value if op == "+=" else value
            return
        if target.kind == "select":
            obj = self._eval(pkg, target.args[0], scope)
            if isinstance(obj, Struct):
                obj.fields[target.args[1]] = value
                return
        raise Unsupported(f"line {target.line}: assignment to {target.kind}")

    def _for_range(self, pkg: str, stmt: Node, scope: Scope) -> None:
        header, body = stmt.args
        op, targets, expr = header.args
        collection = self._eval(pkg, expr, scope)
        if isinstance(collection, dict):
            items = list(collection.items())
        elif isinstance(collection, str):
            items = list(enumerate(ord(ch) for ch in collection))
        elif isinstance(collection, int):
            items = [(i, i) for i in range(collection)]
        else:
            items = list(enumerate(collection))
        for key, value in items:
            inner = Scope(scope)
            for target, item in zip(targets, (key, value), strict=False):
                self._assign(pkg, ":=" if op == ":=" else "=", target, item, inner)
            try:
                self._block(pkg, body, inner)
            except _Continue:
                continue
            except _Break:
                break

    def _for(self, pkg: str, stmt: Node, scope: Scope) -> None:
        init, cond, post, body = stmt.args
        inner = Scope(scope)
        if init is not None:
            self._stmt(pkg, init, inner)
        for _ in range(100_000):
            if cond is not None and not self._eval(pkg, cond, inner):
                return
            try:
                self._block(pkg, body, inner)
            except _Continue:
                pass
            except _Break:
                return
            if post is not None:
                self._stmt(pkg, post, inner)
        raise Unsupported(f"line {stmt.line}: loop did not end in 100000 rounds")

    # expressions
    def _eval(self, pkg: str, node: Node, scope: Scope) -> Any:
        kind = node.kind
        if kind == "lit":
            return node.args[0]
        if kind == "ident":
            return self._lookup(pkg, node.args[0], scope, node.line)
        if kind == "binary":
            return self._binary(pkg, node, scope)
        if kind == "unary":
            op, operand = node.args
            if op == "&" and operand.kind == "ident":
                owner = scope.find(operand.args[0])
                value = self._eval(pkg, operand, scope)
                if owner is not None and not isinstance(value, Struct):
                    return Pointer(owner, operand.args[0])
                return value
            value = self._eval(pkg, operand, scope)
            if op == "!":
                return not value
            if op == "-":
                return -value
            if op in ("&", "+"):
                return value
            if op == "*":
                return value.scope[value.name] if isinstance(value, Pointer) else value
            raise Unsupported(f"line {node.line}: unary {op}")
        if kind == "composite":
            return self._composite(pkg, node, scope)
        if kind == "call":
            return self._call(pkg, node, scope)
        if kind == "select":
            return self._select(pkg, node, scope)
        if kind == "index":
            container = self._eval(pkg, node.args[0], scope)
            key = self._eval(pkg, node.args[1], scope)
            if isinstance(container, str):
                return ord(container[key])
            return container[key]
        if kind == "slice":
            container = self._eval(pkg, node.args[0], scope)
            low = 0 if node.args[1] is None else self._eval(pkg, node.args[1], scope)
            high = None if node.args[2] is None else self._eval(pkg, node.args[2], scope)
            return container[low:high]
        if kind == "funclit":
            decl = node.args[0]
            return lambda *args: self._invoke(pkg, decl, list(args), scope)
        if kind == "zero":
            return _zero(node.args[0])
        if kind == "typeexpr":
            return node.args[0]
        raise Unsupported(f"line {node.line}: expression {kind}")

    def _lookup(self, pkg: str, name: str, scope: Scope, line: int) -> Any:
        owner = scope.find(name)
        if owner is not None:
            return owner[name]
        if name in ("true", "false"):
            return name == "true"
        if name == "nil":
            return None
        funcs, values, _ = self.packages[pkg]
        cache = self.package_values[pkg]
        if name in cache:
            return cache[name]
        if name in values:
            cache[name] = self._eval(pkg, values[name], Scope())
            return cache[name]
        if name in funcs:
            decl = funcs[name]
            return lambda *args: self._invoke(pkg, decl, list(args))
        builtin = self.natives.get(name)
        if builtin is not None:
            return builtin
        raise Unsupported(f"line {line}: unknown name {name}")

    def _binary(self, pkg: str, node: Node, scope: Scope) -> Any:
        op, left_node, right_node = node.args
        left = self._eval(pkg, left_node, scope)
        if op == "&&":
            return bool(left) and bool(self._eval(pkg, right_node, scope))
        if op == "||":
            return bool(left) or bool(self._eval(pkg, right_node, scope))
        right = self._eval(pkg, right_node, scope)
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left // right if isinstance(left, int) and isinstance(right, int) \
                else left / right
        if op == "%":
            return left % right
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        if op == ">=":
            return left >= right
        raise Unsupported(f"line {node.line}: operator {op}")

    def _composite(self, pkg: str, node: Node, scope: Scope) -> Any:
        type_node, elements = node.args
        if type_node.kind == "maptype":
            return {self._eval(pkg, k, scope): self._eval(pkg, v, scope) for k, v in elements}
        if type_node.kind in ("slicetype", "elided") and all(k is None for k, _ in elements):
            return [self._eval(pkg, v, scope) for _, v in elements]
        name = type_node.args[0] if type_node.kind == "named" else "struct"
        fields = {}
        for key, value in elements:
            if key is None or key.kind != "ident":
                raise Unsupported(f"line {node.line}: positional struct literal {name}")
            fields[key.args[0]] = self._eval(pkg, value, scope)
        return Struct(name, fields)

    def _select(self, pkg: str, node: Node, scope: Scope) -> Any:
        base, name = node.args
        if base.kind == "ident" and scope.find(base.args[0]) is None:
            qualified = self._qualified(pkg, base.args[0], name)
            if qualified is not None:
                return qualified
        value = self._eval(pkg, base, scope)
        if isinstance(value, Pointer):
            value = value.scope[value.name]
        if isinstance(value, Struct):
            return value.fields.get(name)
        method = getattr(value, name, None)
        if method is not None:
            return method
        raise Unsupported(f"line {node.line}: field {name} of {type(value).__name__}")

    def _qualified(self, pkg: str, local: str, name: str) -> Any:
        """``local.name`` where ``local`` is an imported package: ours or a native."""
        _, _, imports = self.packages[pkg]
        path = imports.get(local)
        if path is None:
            return None
        if path in self.packages:
            funcs, values, _ = self.packages[path]
            if name in funcs:
                decl = funcs[name]
                return lambda *args: self._invoke(path, decl, list(args))
            if name in values:
                return self._lookup(path, name, Scope(), 0)
        native = self.natives.get(f"{path.rsplit('/', 1)[-1]}.{name}")
        if native is None:
            raise Unsupported(f"library call {local}.{name}")
        return native

    def _call(self, pkg: str, node: Node, scope: Scope) -> Any:
        func_node, arg_nodes, spread = node.args
        if func_node.kind == "convert":
            value = self._eval(pkg, arg_nodes[0], scope)
            return value
        if func_node.kind == "ident" and func_node.args[0] in ("string", "byte", "rune") \
                and scope.find(func_node.args[0]) is None:
            value = self._eval(pkg, arg_nodes[0], scope)
            return chr(value) if isinstance(value, int) and func_node.args[0] == "string" \
                else value
        func = self._eval(pkg, func_node, scope)
        args = [self._eval(pkg, a, scope) for a in arg_nodes]
        if spread:
            args = args[:-1] + list(args[-1] or [])
        if func is None or not callable(func):
            raise Unsupported(f"line {node.line}: call of a non-function")
        return func(*args)


def _zero(type_node: Node | None) -> Any:
    if type_node is None:
        return None
    if type_node.kind == "slicetype":
        return []
    if type_node.kind == "maptype":
        return {}
    if type_node.kind == "named":
        name = type_node.args[0]
        if name == "string":
            return ""
        if name in ("int", "int64", "uint", "float64", "rune", "byte"):
            return 0
        if name == "bool":
            return False
        if name == "strings.Builder":
            return StringBuilder()
        return Struct(name, {})
    return None


class StringBuilder:
    """``strings.Builder``: the one mutable library type the generators use."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def WriteString(self, text: str) -> tuple[int, None]:  # noqa: N802 (Go's name)
        self.parts.append(text)
        return len(text), None

    def String(self) -> str:  # noqa: N802
        return "".join(self.parts)


def parse(source: str) -> GoFile:
    """Parse one Go file."""
    return Parser(source).parse_file()
