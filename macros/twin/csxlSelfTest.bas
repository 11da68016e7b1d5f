Option Explicit
' csxlSelfTest: only in the csxl.xlsm twin, never in the add-in. The tests open the twin
' in LibreOffice, run csxl_SelfTest and read the cells it wrote back with openpyxl: proof
' that the VBA project is read from csxl's own vbaProject.bin, that the modules it uses compile,
' and that the portable helpers of csxlText give what csxl expects. (LibreOffice 7.4
' ignores #If, so the Windows and Mac branches of csxlRun and xlwings are not run here.)

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
