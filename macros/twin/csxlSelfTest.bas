Option Explicit
' csxlSelfTest: only in the csxl.xlsm twin, never in the add-in. The tests open the twin
' in LibreOffice, run csxl_SelfTest and read the cells it wrote back with openpyxl: proof
' that the VBA project is read from csxl's own vbaProject.bin, that the modules it uses compile,
' and that the portable helpers of csxlText give what csxl expects. (LibreOffice 7.4
' ignores #If lines and runs every branch, so the platform code of csxlRun and xlwings
' is written to work there too where this Sub calls it: COM objects are tried, with VBA's
' own functions where they do not exist.)

Public Sub csxl_SelfTest()
    Dim ws As Object, samples As Variant, i As Long
    Set ws = ThisWorkbook.Worksheets(1)
    ws.Cells(10, 1).Value = "self-test"
    ws.Cells(10, 2).Value = 6 * 7
    ws.Cells(11, 1).Value = "U"
    ws.Cells(11, 2).Value = U("\u5BA2\u670D\u8BA1\u5212 csxl")
    ws.Cells(12, 1).Value = "Utf8Decode"
    ws.Cells(12, 2).Value = Utf8Decode(HexBytes("EFBBBFE5AEA2E69C8D206F6B20F09F9880"))
    ws.Cells(13, 1).Value = "Msg"
    ws.Cells(13, 2).Value = Msg("guide", "zh")
    ws.Cells(14, 1).Value = "CommandLine"
    ws.Cells(14, 2).Value = CommandLine("C:\Program Files\csxl\csxl.exe", WithResultFile( _
        Array("refresh", "--live", U("C:\Users\\u5F20\u4E09\plan 1.xlsx")), "C:\Temp\r.txt"))
    samples = Array("C:\Program Files\csxl\csxl.exe", "C:\out dir\", "a\\b c", _
        "say ""hi""", "tail\\", "back\""quote", "it's", U("C:\\u8BA1\u5212\u0020x.xlsx"), "x")
    ws.Cells(16, 1).Value = "csxl_Lang"
    ws.Cells(16, 2).Value = csxl_Lang()
    ws.Cells(15, 1).Value = "PyList"
    ws.Cells(15, 2).Value = PyList(samples)
    For i = LBound(samples) To UBound(samples)
        ws.Cells(20 + i, 1).Value = samples(i)
        ws.Cells(20 + i, 2).Value = QuoteArg(samples(i))
    Next i
    ' Issue 17: what a button's command becomes, and what chooses the program.
    ws.Cells(30, 1).Value = "EscapePercent"
    ws.Cells(30, 2).Value = EscapePercent(CommandLine("C:\Program Files\csxl\csxl.exe", _
        Array("new", U("C:\\u5BA2\u670D %USERNAME%\100% it's.xlsx"))))
    ws.Cells(31, 1).Value = "PyList2"
    ws.Cells(31, 2).Value = PyList(Array(U("/Users/x/it's \u5BA2 100%.xlsx"), _
        "$HOME `x` ""q"" | \ ;", ChrW(&HD83D) & ChrW(&HDE00)))
    ws.Cells(32, 1).Value = "MacParameters"
    ws.Cells(32, 2).Value = csxl_MacParameters("pass", "/my python/python3", "it's $x|y.xlsx", _
        "/Applications/Microsoft Excel.app/Contents", "/log")
    ws.Cells(33, 1).Value = "ResultField"
    ws.Cells(33, 2).Value = ResultField("exit=1" & vbCrLf & "made=C:\a b.xlsx" & vbCrLf & vbCrLf & _
        "done" & vbCrLf, "made") & "|" & ResultField("old text", "exit") & "|" & _
        ResultMessage("exit=1" & vbCrLf & "made=" & vbCrLf & vbCrLf & "done" & vbCrLf & "two" & vbCrLf)
    ws.Cells(34, 1).Value = "ConfValue"
    ws.Cells(34, 2).Value = ConfValue("# exe = no" & vbLf & " Python = C:\py\python.exe " & vbLf, "python")
    ws.Cells(35, 1).Value = "csxl_FindExe"
    ws.Cells(35, 2).Value = csxl_FindExe()
    ws.Cells(36, 1).Value = "csxl_Setting python"
    ws.Cells(36, 2).Value = csxl_Setting("python")
    ws.Cells(37, 1).Value = "plan exe cell"
    If Not csxl_PlanSheet("Settings", "\u8BBE\u7F6E") Is Nothing Then
        ws.Cells(37, 2).Value = csxl_PlanSheet("Settings", "\u8BBE\u7F6E").Cells(14, 2).Value
    End If
End Sub

Private Function HexBytes(ByVal digits As String) As Variant
    Dim out() As Byte, i As Long
    ReDim out(0 To Len(digits) \ 2 - 1)
    For i = 0 To Len(digits) \ 2 - 1
        out(i) = CByte(InStr(1, "0123456789ABCDEF", Mid$(digits, 2 * i + 1, 1)) - 1) * 16 + _
            CByte(InStr(1, "0123456789ABCDEF", Mid$(digits, 2 * i + 2, 1)) - 1)
    Next i
    HexBytes = out
End Function
