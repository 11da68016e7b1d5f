Option Explicit
' csxlText: text helpers of the csxl add-in that run on any platform (Excel on Windows
' and Mac, and LibreOffice, where the tests run them). No Windows or Mac objects here.
'
' VBA source files are ASCII: user-facing Chinese text is written as \uXXXX escapes and
' decoded by U(); what csxl itself reports comes from the exe's UTF-8 result file.

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
    ' A Python string literal (single quotes) holding s.
    PyStr = "'" & Replace(Replace(s, "\", "\\"), "'", "\'") & "'"
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

Public Function Msg(ByVal key As String, ByVal lang As String) As String
    ' Messages the add-in shows before csxl runs (csxl writes its own results).
    Dim zh As String, en As String
    Select Case key
        Case "no_workbook": zh = "\u8BF7\u5148\u6253\u5F00\u4E00\u4E2A csxl \u8BA1\u5212\u5DE5\u4F5C\u7C3F\u3002": en = "Open a csxl plan workbook first."
        Case "not_found": zh = "\u6CA1\u6709\u627E\u5230 csxl \u7A0B\u5E8F\uFF0C\u4E5F\u6CA1\u6709\u53EF\u7528\u7684 Python\uFF08\u542B csxl\uFF09\u3002": en = "Neither the csxl program nor Python with csxl was found."
        Case "searched": zh = "\u67E5\u627E\u8FC7\uFF1A": en = "Searched:"
        Case "fix_exe": zh = "\u8BF7\u628A csxl \u7A0B\u5E8F\u653E\u5728\u52A0\u8F7D\u9879\u65C1\u8FB9\uFF0C\u6216\u5728\u201C\u8BBE\u7F6E\u201D\u8868\u4E2D\u586B\u5199\u7A0B\u5E8F\u8DEF\u5F84\uFF0C\u7136\u540E\u70B9\u201C\u68C0\u67E5\u5B89\u88C5\u201D\u3002": en = "Put the csxl program next to the add-in, or enter its path on the Settings sheet, then press Check."
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
        Case "conf_hint": zh = "\u6CA1\u6709\u6253\u5F00\u8BA1\u5212\u65F6\uFF0C\u8BBE\u7F6E\u5199\u5728\u52A0\u8F7D\u9879\u65C1\u7684 csxl.conf \u6587\u4EF6\u4E2D\uFF08exe = \u8DEF\u5F84\uFF0Cpython = \u8DEF\u5F84\uFF0Clang = zh\uFF09\u3002": en = "Without a plan open, settings live in csxl.conf next to the add-in (exe = path, python = path, lang = zh)."
        Case "addin": zh = "\u52A0\u8F7D\u9879\uFF1A": en = "Add-in:"
        Case "exe": zh = "csxl \u7A0B\u5E8F\uFF1A": en = "csxl program:"
        Case "none": zh = "\u672A\u627E\u5230": en = "not found"
        Case "python": zh = "Python\uFF1A": en = "Python:"
        Case "trust": zh = "\u5B8F\u53EA\u80FD\u4ECE\u53D7\u4FE1\u4EFB\u4F4D\u7F6E\u8FD0\u884C\uFF0C\u6216\u5728\u201C\u542F\u7528\u5185\u5BB9\u201D\u4E4B\u540E\u8FD0\u884C\uFF1B\u4ECE\u7F51\u4E0A\u4E0B\u8F7D\u7684\u6587\u4EF6\u8BF7\u5148\u5728\u201C\u5C5E\u6027\u201D\u4E2D\u201C\u89E3\u9664\u9501\u5B9A\u201D\u3002": en = "Macros run only from a trusted location or after Enable Content; unblock a downloaded file in its Properties first."
        Case Else: zh = key: en = key
    End Select
    If lang = "en" Then
        Msg = en
    Else
        Msg = U(zh)
    End If
End Function
