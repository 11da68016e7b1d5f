Option Explicit
' csxlText: text helpers of the csxl add-in that run on any platform (Excel on Windows
' and Mac, and LibreOffice, where the tests run them). No Windows or Mac objects here.
'
' VBA source files are ASCII: user-facing Chinese text is written as \uXXXX escapes and
' decoded by U(); what csxl itself reports comes from the exe's UTF-8 result file.

Public Const PERCENT_VAR As String = "CSXL_PCT"  ' see EscapePercent
Private Const PY_PLAIN As String = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._-:/,+=@"

Public Function U(ByVal s As String) As String
    ' "\u5BA2\u670D" -> the two characters; everything else is kept as it is.
    Dim out As String, i As Long, n As Long, code As Long
    n = Len(s)
    i = 1
    Do While i <= n
        code = -1
        If i + 5 <= n Then
            If Mid$(s, i, 2) = "\u" Then code = HexValue(Mid$(s, i + 2, 4))
        End If
        If code >= 0 Then
            out = out & ChrW(code)
            i = i + 6
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    U = out
End Function

Private Function HexValue(ByVal digits As String) As Long
    ' The value of hex digits, or -1 when one is not a hex digit.
    Dim i As Long, d As Long, v As Long
    For i = 1 To Len(digits)
        d = InStr(1, "0123456789ABCDEF", UCase$(Mid$(digits, i, 1))) - 1
        If d < 0 Then
            HexValue = -1
            Exit Function
        End If
        v = v * 16 + d
    Next i
    HexValue = v
End Function

Public Function Utf8Decode(ByVal bytes As Variant) As String
    ' A Byte array of UTF-8 -> a VBA string (UTF-16); a leading byte order mark is skipped
    ' and a broken sequence becomes U+FFFD. Used where ADODB.Stream is missing (Mac).
    Dim out As String, i As Long, last As Long, b As Long, code As Long, more As Long, k As Long
    i = LBound(bytes)
    last = UBound(bytes)
    If last - i >= 2 Then
        If bytes(i) = &HEF And bytes(i + 1) = &HBB And bytes(i + 2) = &HBF Then i = i + 3
    End If
    Do While i <= last
        b = bytes(i)
        If b < &H80 Then
            code = b
            more = 0
        ElseIf b >= &HF0 And b < &HF8 Then
            code = b And &H7
            more = 3
        ElseIf b >= &HE0 Then
            code = b And &HF
            more = 2
        ElseIf b >= &HC0 Then
            code = b And &H1F
            more = 1
        Else
            code = &HFFFD&
            more = 0
        End If
        If i + more > last Then
            code = &HFFFD&
            more = last - i
        Else
            For k = 1 To more
                If (bytes(i + k) And &HC0) <> &H80 Then
                    code = &HFFFD&
                    more = k - 1
                    Exit For
                End If
                code = code * 64 + (bytes(i + k) And &H3F)
            Next k
        End If
        out = out & CodePointText(code)
        i = i + more + 1
    Loop
    Utf8Decode = out
End Function

Private Function CodePointText(ByVal code As Long) As String
    If code > &HFFFF& Then
        code = code - &H10000
        CodePointText = ChrW(&HD800& + (code \ 1024)) & ChrW(&HDC00& + (code Mod 1024))
    Else
        CodePointText = ChrW(code)
    End If
End Function

Public Function QuoteArg(ByVal s As String) As String
    ' One argument of a Windows command line, as CommandLineToArgvW reads it back:
    ' backslashes count only before a double quote, so those are doubled, as are the
    ' ones at the end (before the closing quote), and quotes get a backslash.
    Dim out As String, i As Long, c As String, slashes As Long
    out = """"
    For i = 1 To Len(s)
        c = Mid$(s, i, 1)
        If c = "\" Then
            slashes = slashes + 1
        ElseIf c = """" Then
            out = out & String$(slashes * 2 + 1, "\") & """"
            slashes = 0
        Else
            out = out & String$(slashes, "\") & c
            slashes = 0
        End If
    Next i
    QuoteArg = out & String$(slashes * 2, "\") & """"
End Function

Public Function CommandLine(ByVal program As String, ByVal args As Variant) As String
    ' The program and its arguments, each quoted: what WScript.Shell.Run is given.
    Dim out As String, i As Long
    out = QuoteArg(program)
    For i = LBound(args) To UBound(args)
        out = out & " " & QuoteArg(CStr(args(i)))
    Next i
    CommandLine = out
End Function

Public Function PyStr(ByVal s As String) As String
    ' A Python string literal (single quotes) holding s, in plain ASCII: every character
    ' but letters, digits and " ._-:/,+=@" is a \uXXXX escape (Python joins surrogate pairs
    ' back in csxl.excel.button.run_button). So the literal passes unchanged through a Windows
    ' command line (no quote, no %), a shell's double quotes on Mac (no $, backtick, quote)
    ' and the "|" fields of xlwings' AppleScript, whatever the path holds (' % $ " | ...).
    Dim out As String, i As Long, c As String, code As Long
    For i = 1 To Len(s)
        c = Mid$(s, i, 1)
        If InStr(1, PY_PLAIN, c, vbBinaryCompare) > 0 Then
            out = out & c
        Else
            code = AscW(c) And &HFFFF&
            out = out & "\u" & Right$("000" & Hex$(code), 4)
        End If
    Next i
    PyStr = "'" & out & "'"
End Function

Public Function PyList(ByVal args As Variant) As String
    ' A Python list literal of strings: the arguments given to csxl through RunPython.
    Dim out As String, i As Long
    For i = LBound(args) To UBound(args)
        If i > LBound(args) Then out = out & ", "
        out = out & PyStr(CStr(args(i)))
    Next i
    PyList = "[" & out & "]"
End Function

Public Function WithResultFile(ByVal args As Variant, ByVal resultFile As String) As Variant
    ' args followed by --result-file PATH.
    Dim out() As String, i As Long, n As Long
    n = UBound(args) - LBound(args) + 1
    ReDim out(0 To n + 1)
    For i = 0 To n - 1
        out(i) = CStr(args(LBound(args) + i))
    Next i
    out(n) = "--result-file"
    out(n + 1) = resultFile
    WithResultFile = out
End Function

Public Function EscapePercent(ByVal commandText As String) As String
    ' WScript.Shell.Run expands %NAME% anywhere in its command, quoted or not, and has no
    ' escape for %. Each % becomes %CSXL_PCT%, a variable csxlRun sets to "%" in Excel's
    ' own environment just before Run: expansion is one pass, so a path holding
    ' %USERNAME% or 100% reaches the program as it is.
    EscapePercent = Replace(commandText, "%", "%" & PERCENT_VAR & "%")
End Function

Public Function ShQuote(ByVal s As String) As String
    ' One word for a POSIX shell: single quotes, and each ' as '\'' .
    ShQuote = "'" & Replace(s, "'", "'\''") & "'"
End Function

Public Function ResultField(ByVal text As String, ByVal key As String) As String
    ' A header field (exit, made) of a csxl result file; "" when it has none.
    Dim lines As Variant, i As Long
    lines = Split(Replace(text, vbCr, ""), vbLf)
    If UBound(lines) < 0 Then Exit Function
    If Left$(lines(0), 5) <> "exit=" Then Exit Function
    For i = 0 To UBound(lines)
        If lines(i) = "" Then Exit Function
        If Left$(lines(i), Len(key) + 1) = key & "=" Then
            ResultField = Mid$(lines(i), Len(key) + 2)
            Exit Function
        End If
    Next i
End Function

Public Function ResultMessage(ByVal text As String) As String
    ' The message of a csxl result file: what follows its header (all of an older file).
    Dim plain As String, at As Long
    plain = Replace(text, vbCr, "")
    If Left$(plain, 5) = "exit=" Then
        at = InStr(1, plain, vbLf & vbLf)
        If at = 0 Then
            plain = ""
        Else
            plain = Mid$(plain, at + 2)
        End If
    End If
    Do While Right$(plain, 1) = vbLf
        plain = Left$(plain, Len(plain) - 1)
    Loop
    ResultMessage = Replace(plain, vbLf, vbCrLf)
End Function

Public Function ConfValue(ByVal text As String, ByVal key As String) As String
    ' The value of "key = value" in the text of a csxl.conf ("#" starts a comment line).
    Dim lines As Variant, i As Long, at As Long, line As String
    lines = Split(Replace(text, vbCr, ""), vbLf)
    For i = LBound(lines) To UBound(lines)
        line = Trim$(lines(i))
        at = InStr(1, line, "=")
        If at > 1 And Left$(line, 1) <> "#" Then
            If LCase$(Trim$(Left$(line, at - 1))) = LCase$(key) Then
                ConfValue = Trim$(Mid$(line, at + 1))
                Exit Function
            End If
        End If
    Next i
End Function

Public Function Fill(ByVal text As String, ByVal first As String, _
        Optional ByVal second As String = "") As String
    ' A message with {0} and {1} replaced.
    Fill = Replace(Replace(text, "{0}", first), "{1}", second)
End Function

Public Function Msg(ByVal key As String, ByVal lang As String) As String
    ' Messages the add-in shows before csxl runs (csxl writes its own results).
    Dim zh As String, en As String
    Select Case key
        Case "no_workbook": zh = "\u8BF7\u5148\u6253\u5F00\u4E00\u4E2A csxl \u8BA1\u5212\u5DE5\u4F5C\u7C3F\u3002": en = "Open a csxl plan workbook first."
        Case "not_found": zh = "\u6CA1\u6709\u627E\u5230 csxl \u7A0B\u5E8F\uFF0C\u4E5F\u6CA1\u6709\u53EF\u7528\u7684 Python\uFF08\u542B csxl\uFF09\u3002": en = "Neither the csxl program nor Python with csxl was found."
        Case "searched": zh = "\u67E5\u627E\u8FC7\uFF1A": en = "Searched:"
        Case "fix_exe": zh = "\u8BF7\u628A csxl \u7A0B\u5E8F\u653E\u5728\u52A0\u8F7D\u9879\u65C1\u8FB9\uFF08%APPDATA%\csxl\csxl\csxl.exe\uFF09\uFF0C\u6216\u5728 csxl.conf \u4E2D\u5199 exe = \u7A0B\u5E8F\u8DEF\u5F84 \u6216 python = Python \u8DEF\u5F84\uFF0C\u7136\u540E\u70B9\u201C\u68C0\u67E5\u5B89\u88C5\u201D\u3002": en = "Put the csxl program beside the add-in (%APPDATA%\csxl\csxl\csxl.exe), or write exe = <program path> or python = <Python path> in csxl.conf, then press Check."
        Case "no_result": zh = "csxl \u5DF2\u7ED3\u675F\uFF0C\u4F46\u6CA1\u6709\u7559\u4E0B\u7ED3\u679C\u8BF4\u660E\u3002\u9000\u51FA\u7801\uFF1A": en = "csxl ended without leaving a message. Exit code:"
        Case "save_first": zh = "\u8BF7\u5148\u4FDD\u5B58\u5DE5\u4F5C\u7C3F\uFF1Acsxl \u8BFB\u53D6\u7684\u662F\u5DF2\u4FDD\u5B58\u7684\u6587\u4EF6\u3002": en = "Save the workbook first: csxl reads the saved file."
        Case "choose_out": zh = "\u9009\u62E9\u5B58\u653E\u5404\u56E2\u961F\u5DE5\u4F5C\u7C3F\u7684\u6587\u4EF6\u5939": en = "Choose the folder for the team workbooks"
        Case "choose_teams": zh = "\u9009\u62E9\u5404\u56E2\u961F\u5DE5\u4F5C\u7C3F\u6240\u5728\u7684\u6587\u4EF6\u5939": en = "Choose the folder that holds the team workbooks"
        Case "save_summary": zh = "\u6C47\u603B\u8868\u53E6\u5B58\u4E3A": en = "Save the summary as"
        Case "new_plan_as": zh = "\u65B0\u8BA1\u5212\u53E6\u5B58\u4E3A": en = "Save the new plan as"
        Case "ask_data": zh = "\u540C\u65F6\u628A\u4E00\u4EFD\u5DE5\u5355\u5BFC\u51FA\u62C6\u5206\u5230\u5404\u56E2\u961F\u5DE5\u4F5C\u7C3F\u5417\uFF1F": en = "Also split a ticket export into the team workbooks?"
        Case "choose_export": zh = "\u9009\u62E9\u5DE5\u5355\u5BFC\u51FA\u6587\u4EF6": en = "Choose the ticket export"
        Case "working": zh = "csxl \u6B63\u5728\u5904\u7406\uFF0C\u5B8C\u6210\u540E\u4F1A\u663E\u793A\u7ED3\u679C\u3002": en = "csxl is working; a message follows when it is done."
        Case "not_plan": zh = "\u5F53\u524D\u5DE5\u4F5C\u7C3F\u4E0D\u662F csxl \u8BA1\u5212\uFF08\u6CA1\u6709\u201C\u8BBE\u7F6E\u201D\u8868\uFF09\u3002": en = "The active workbook is not a csxl plan (no Settings sheet)."
        Case "guide": zh = "csxl \u52A0\u8F7D\u9879\uFF1A\u6570\u636E\u7C98\u8D34\u5230\u201C\u6570\u636E\u201D\u8868\u540E\uFF0C\u70B9\u201C\u6821\u9A8C\u6570\u636E\u201D\u201C\u5237\u65B0\u6307\u6807\u201D\uFF1B\u6539\u4E86\u76EE\u6807\u6216\u89C4\u5219\u540E\u70B9\u201C\u8BA1\u7B97\u8003\u6838\u201D\u3002\u8BF4\u660E\u89C1 docs/excel.md\u3002": en = "csxl add-in: paste the export into the Data sheet, then press Validate and Refresh; after changing targets or rules press Score. See docs/excel.md."
        Case "conf_hint": zh = "csxl \u7A0B\u5E8F\u548C Python \u7684\u4F4D\u7F6E\u53EA\u4ECE\u5DE5\u4F5C\u7C3F\u4EE5\u5916\u8BFB\u53D6\uFF1A\u52A0\u8F7D\u9879\u65C1\u6216 %APPDATA%\csxl\ \u4E2D\u7684 csxl.conf\uFF08exe = \u8DEF\u5F84\uFF0Cpython = \u8DEF\u5F84\uFF0Clang = zh\uFF09\u3002": en = "Where the csxl program and Python are is read only from outside any workbook: csxl.conf beside the add-in or in %APPDATA%\csxl\ (exe = path, python = path, lang = en)."
        Case "addin": zh = "\u52A0\u8F7D\u9879\uFF1A": en = "Add-in:"
        Case "exe": zh = "csxl \u7A0B\u5E8F\uFF1A": en = "csxl program:"
        Case "none": zh = "\u672A\u627E\u5230": en = "not found"
        Case "python": zh = "Python\uFF1A": en = "Python:"
        Case "order": zh = "\u67E5\u627E\u987A\u5E8F\uFF1Acsxl.conf \u4E2D\u7684 exe\uFF1B\u52A0\u8F7D\u9879\u65C1\u7684 csxl.exe \u6216 csxl\csxl.exe\uFF1B%APPDATA%\csxl\csxl\csxl.exe\uFF1BPATH\u3002\u5DE5\u4F5C\u7C3F\u4E2D\u7684\u5185\u5BB9\u4E0D\u4F1A\u51B3\u5B9A\u8FD0\u884C\u54EA\u4E2A\u7A0B\u5E8F\u3002": en = "Search order: exe in csxl.conf; csxl.exe or csxl\csxl.exe beside the add-in; %APPDATA%\csxl\csxl\csxl.exe; PATH. Nothing in a workbook chooses the program."
        Case "trust": zh = "\u5B8F\u53EA\u80FD\u4ECE\u53D7\u4FE1\u4EFB\u4F4D\u7F6E\u8FD0\u884C\uFF0C\u6216\u5728\u201C\u542F\u7528\u5185\u5BB9\u201D\u4E4B\u540E\u8FD0\u884C\uFF1B\u4ECE\u7F51\u4E0A\u4E0B\u8F7D\u7684\u6587\u4EF6\u8BF7\u5148\u5728\u201C\u5C5E\u6027\u201D\u4E2D\u201C\u89E3\u9664\u9501\u5B9A\u201D\u3002": en = "Macros run only from a trusted location or after Enable Content; unblock a downloaded file in its Properties first."
        Case "blocked": zh = "Excel \u65E0\u6CD5\u542F\u52A8 {0}\uFF08{1}\uFF09\u3002\n\n\u516C\u53F8\u7684\u5B89\u5168\u7B56\u7565\u53EF\u80FD\u7981\u6B62 Office \u542F\u52A8\u7A0B\u5E8F\uFF08Microsoft Defender \u7684\u653B\u51FB\u9762\u51CF\u5C11\u89C4\u5219\u201C\u963B\u6B62\u6240\u6709 Office \u5E94\u7528\u7A0B\u5E8F\u521B\u5EFA\u5B50\u8FDB\u7A0B\u201D\uFF0C\u6216 AppLocker\uFF09\u3002\u53EF\u4EE5\uFF1A\n1. \u8BF7\u7BA1\u7406\u5458\u4E3A csxl \u653E\u884C\uFF1A\u8BE5\u89C4\u5219\uFF08d4f940ab-401b-4efc-aadc-ad5f3c50688a\uFF09\u4E2D\u6392\u9664 {0}\uFF0C\u6216\u5728 AppLocker \u4E2D\u5141\u8BB8\u5B83\u6240\u5728\u7684"
            zh = zh & "\u6587\u4EF6\u5939\uFF1B\n2. \u6216\u5B89\u88C5 Python \u548C csxl\uFF08pip install csxl[excel]\uFF09\uFF0C\u5728 csxl.conf \u4E2D\u5199 python = python.exe \u7684\u8DEF\u5F84\uFF1A\u6CA1\u6709 csxl \u7A0B\u5E8F\u65F6\u6309\u94AE\u6539\u7528 RunPython\uFF1B\n3. \u6216\u5173\u95ED\u5DE5\u4F5C\u7C3F\u540E\uFF0C\u5728\u547D\u4EE4\u63D0\u793A\u7B26\u4E2D\u8FD0\u884C\u540C\u4E00\u547D\u4EE4\uFF08csxl --help\uFF09\u3002"
            en = "Excel could not start {0} ({1}).\n\nYour company's policy may stop Office from starting programs (the Microsoft Defender attack surface reduction rule Block all Office applications from creating child processes, or AppLocker). You can:\n1. Ask your administrator to allow csxl: an exclusion for {0} from that rule (d4f940ab-401b-4efc-aadc-ad5f3c50688a), or an AppLocker rule for its folder;\n2. Or install Python and csxl (pip install csxl[excel]) and write python = <path of python.exe> in csxl.conf: without the csxl program the buttons use RunPython;\n3. Or close the workbook and run the same com"
            en = en & "mand in a command prompt (csxl --help)."
        Case "failed": zh = "csxl \u52A0\u8F7D\u9879\u51FA\u9519\u4E86\uFF08{0}\uFF09\uFF1A\n{1}\n\n\u6CA1\u6709\u4FDD\u5B58\u4EFB\u4F55\u5185\u5BB9\u3002\u8BF7\u518D\u8BD5\u4E00\u6B21\uFF1B\u5982\u679C\u4ECD\u7136\u51FA\u9519\uFF0C\u8BF7\u70B9\u201C\u68C0\u67E5\u5B89\u88C5\u201D\uFF0C\u5E76\u628A\u8FD9\u6761\u4FE1\u606F\u53D1\u7ED9\u7BA1\u7406\u5458\u3002": en = "The csxl add-in ran into an error ({0}):\n{1}\n\nNothing was saved. Try again; if it happens again, press Check and send this message to your administrator."
        Case "import_source": zh = "\u8FD9\u4EFD\u5BFC\u51FA\u7684\u6570\u636E\u6E90\u540D\u79F0\uFF08\u4F8B\u5982 \u5343\u725B\u3001\u7535\u8BDD\u3001\u5728\u7EBF\uFF09\uFF1A": en = "The data source of this export (e.g. Qianniu, phone, online):"
        Case "import_close": zh = "\u5BFC\u5165\u4F1A\u5199\u5165\u78C1\u76D8\u4E0A\u7684\u6587\u4EF6\uFF1A\u5C06\u5148\u4FDD\u5B58\u5E76\u5173\u95ED\u201C{0}\u201D\uFF0C\u5BFC\u5165\u540E\u91CD\u65B0\u6253\u5F00\u5E76\u5237\u65B0\u3002\u7EE7\u7EED\u5417\uFF1F": en = "Importing writes the file on disk: {0} will be saved and closed, then reopened and refreshed. Continue?"
        Case "sheet_locked": zh = "\u65E0\u6CD5\u663E\u793A\u201C{0}\u201D\u8868\uFF1A\u5B83\u88AB\u9690\u85CF\uFF0C\u4E14\u5DE5\u4F5C\u7C3F\u7ED3\u6784\u53D7\u4FDD\u62A4\u3002\u8BF7\u5148\u5728 \u5BA1\u9605 > \u4FDD\u62A4\u5DE5\u4F5C\u7C3F \u4E2D\u53D6\u6D88\u4FDD\u62A4\u3002": en = "Cannot show the {0} sheet: it is hidden and the workbook structure is protected. Unprotect it under Review > Protect Workbook first."
        Case "reopen": zh = "\u8BF7\u91CD\u65B0\u6253\u5F00 {0}\uFF08\u6587\u4EF6 > \u6253\u5F00\uFF09\u3002": en = "Reopen {0} (File > Open)."
        Case "mac_script": zh = "RunPython \u9700\u8981 xlwings \u7684 AppleScript\uFF1A\u8BF7\u5728\u201C\u7EC8\u7AEF\u201D\u4E2D\u8FD0\u884C\u4E00\u6B21 xlwings runpython install\uFF0C\u5E76\u5728\u52A0\u8F7D\u9879\u65C1\u7684 csxl.conf \u4E2D\u5199 xlwings_version = \u5B83\u7684\u7248\u672C\u53F7\u3002": en = "RunPython needs xlwings' AppleScript: run xlwings runpython install in Terminal once, and write xlwings_version = <its version> in csxl.conf beside the add-in."
        Case Else: zh = key: en = key
    End Select
    ' "\n" in a message is a line break.
    If lang = "en" Then
        Msg = Replace(en, "\n", vbCrLf)
    Else
        Msg = Replace(U(zh), "\n", vbCrLf)
    End If
End Function
