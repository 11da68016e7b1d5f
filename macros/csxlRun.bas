Option Explicit
' csxlRun: how a ribbon button runs csxl on the active workbook.
'
' On Windows the bundled csxl program (csxl.exe) is run with the verb, --live and the
' active workbook's full name, and a --result-file into which it writes what it did as
' UTF-8 text; the button waits for it (WScript.Shell.Run ..., 0, True) and shows that text.
' The program writes into the open workbook through xlwings (Excel holds a lock on the
' file). Nothing is saved behind the manager's back: saving stays the manager's choice.
' Where no program is found, and always on Mac, the same command runs through RunPython
' (module xlwings) with a Python that has csxl installed.
'
' Always ActiveWorkbook (the plan the manager is looking at), never ThisWorkbook (this
' add-in). No module-level Workbook or Application references are kept.
'
' Settings, looked up in this order (xlwings-style):
'   1. the plan's Settings sheet (Settings / U+8BBE U+7F6E): exe path, Python, language;
'   2. csxl.conf next to the add-in: lines "key = value" (exe, python, lang,
'      xlwings_version);
'   3. defaults: csxl.exe next to the add-in or on PATH; "python"; the plan's language.

' Rows of the plan's Settings sheet: keep equal to csxl.workbook.layout.Settings (a test
' compares them).
Private Const SETTINGS_VALUE_COL As Long = 2
Private Const SETTINGS_ROW_LANG As Long = 6
Private Const SETTINGS_ROW_EXE As Long = 14
Private Const SETTINGS_ROW_PYTHON As Long = 15

Private Const EXE_NAME As String = "csxl.exe"
Private Const CONF_NAME As String = "csxl.conf"
Private Const APP_TITLE As String = "csxl"

Private searchedPlaces As String

' ------------------------------------------------------------------ running csxl
Public Sub csxl_RunOnActive(ByVal verb As String)
    ' validate / refresh / score / staff on the plan open in Excel.
    If ActiveWorkbook Is Nothing Then
        MsgBox Msg("no_workbook", csxl_Lang()), vbExclamation, APP_TITLE
        Exit Sub
    End If
    csxl_Run Array(verb, "--live", ActiveWorkbook.FullName)
End Sub

Public Function csxl_Run(ByVal args As Variant) As Long
    ' Runs csxl with args plus --result-file; shows the result. Returns csxl's exit code
    ' (0 done, 1 done with warnings, 2 refused, 3 open in Excel), or -1 when the result
    ' comes later (Mac) or nothing could run.
    Dim resultFile As String, exe As String, code As Long
    resultFile = TempResultPath()
    #If Mac Then
        Application.StatusBar = Msg("working", csxl_Lang())
        RunPython "import csxl.excel.live as L; L.run_button(" & _
            PyList(WithResultFile(args, resultFile)) & ")"
        csxl_Run = -1
    #Else
        exe = csxl_FindExe()
        If exe <> "" Then
            code = RunProgram(CommandLine(exe, WithResultFile(args, resultFile)))
        Else
            code = RunPython("import csxl.excel.live as L; L.run_button(" & _
                PyList(WithResultFile(args, resultFile)) & ")")
            If code <> 0 And Not FileThere(resultFile) Then
                MsgBox Msg("not_found", csxl_Lang()) & vbCrLf & vbCrLf & _
                    Msg("searched", csxl_Lang()) & vbCrLf & searchedPlaces & vbCrLf & _
                    Msg("fix_exe", csxl_Lang()), vbCritical, APP_TITLE
                csxl_Run = -1
                Exit Function
            End If
        End If
        csxl_ShowResult resultFile, code
        csxl_Run = code
    #End If
End Function

Private Function RunProgram(ByVal commandText As String) As Long
    ' Start the program hidden and wait for it; its exit code.
    Dim wsh As Object
    Application.StatusBar = Msg("working", csxl_Lang())
    Set wsh = CreateObject("WScript.Shell")
    RunProgram = wsh.Run(commandText, 0, True)
    Set wsh = Nothing
    Application.StatusBar = False
End Function

Public Sub csxl_ShowResult(ByVal resultFile As Variant, ByVal code As Variant)
    ' Shows the UTF-8 result csxl wrote. Also called by csxl on Mac when it is done.
    Dim message As String, icon As Long
    Application.StatusBar = False
    message = ReadUtf8File(CStr(resultFile))
    If Trim$(message) = "" Then message = Msg("no_result", csxl_Lang()) & " " & CStr(code)
    If Len(message) > 1000 Then message = Left$(message, 1000) & vbCrLf & "..."
    Select Case CLng(code)
        Case 0: icon = vbInformation
        Case 1: icon = vbExclamation
        Case Else: icon = vbCritical
    End Select
    MsgBox message, icon, APP_TITLE
    On Error Resume Next
    Kill CStr(resultFile)
    On Error GoTo 0
End Sub

' ------------------------------------------------------------------ finding csxl.exe
Public Function csxl_FindExe() As String
    ' The configured path, then next to the add-in, then each folder on PATH.
    Dim configured As String, folders As Variant, i As Long, found As String
    searchedPlaces = ""
    configured = csxl_Setting("exe")
    If configured <> "" Then
        If Right$(LCase$(configured), 4) <> ".exe" Then configured = JoinPath(configured, EXE_NAME)
        found = FirstFile(Array(configured))
        If found <> "" Then
            csxl_FindExe = found
            Exit Function
        End If
    End If
    found = FirstFile(Array(JoinPath(ThisWorkbook.Path, EXE_NAME), _
        JoinPath(JoinPath(ThisWorkbook.Path, "csxl"), EXE_NAME)))
    If found <> "" Then
        csxl_FindExe = found
        Exit Function
    End If
    folders = Split(Environ$("PATH"), ";")
    For i = LBound(folders) To UBound(folders)
        If Trim$(folders(i)) <> "" Then
            found = FirstFile(Array(JoinPath(Trim$(folders(i)), EXE_NAME)))
            If found <> "" Then
                csxl_FindExe = found
                Exit Function
            End If
        End If
    Next i
    searchedPlaces = searchedPlaces & "PATH" & vbCrLf
End Function

Private Function FirstFile(ByVal candidates As Variant) As String
    Dim i As Long
    For i = LBound(candidates) To UBound(candidates)
        If FileThere(CStr(candidates(i))) Then
            FirstFile = CStr(candidates(i))
            Exit Function
        End If
        If InStr(1, searchedPlaces, CStr(candidates(i)), vbTextCompare) = 0 And _
                Len(searchedPlaces) < 600 Then
            searchedPlaces = searchedPlaces & CStr(candidates(i)) & vbCrLf
        End If
    Next i
End Function

Private Function JoinPath(ByVal folder As String, ByVal fileName As String) As String
    Dim sep As String
    #If Mac Then
        sep = "/"
    #Else
        sep = "\"
    #End If
    If folder = "" Then
        JoinPath = fileName
    ElseIf Right$(folder, 1) = sep Then
        JoinPath = folder & fileName
    Else
        JoinPath = folder & sep & fileName
    End If
End Function

Private Function FileThere(ByVal path As String) As Boolean
    ' FileSystemObject on Windows: Unicode paths (a Chinese user name) work, Dir() may not.
    On Error Resume Next
    #If Mac Then
        FileThere = (Dir(path) <> "")
    #Else
        FileThere = CreateObject("Scripting.FileSystemObject").FileExists(path)
    #End If
    On Error GoTo 0
End Function

' ------------------------------------------------------------------ settings
Public Function csxl_Setting(ByVal key As String) As String
    ' A setting: the plan's Settings sheet first, then csxl.conf next to the add-in.
    Dim value As String
    Select Case LCase$(key)
        Case "exe": value = PlanSetting(SETTINGS_ROW_EXE)
        Case "python": value = PlanSetting(SETTINGS_ROW_PYTHON)
        Case "lang": value = PlanSetting(SETTINGS_ROW_LANG)
    End Select
    If value = "" Then value = ConfSetting(key)
    csxl_Setting = value
End Function

Public Function csxl_Lang() As String
    ' "zh" or "en": the plan's language, else csxl.conf, else zh.
    If LCase$(csxl_Setting("lang")) = "en" Then
        csxl_Lang = "en"
    Else
        csxl_Lang = "zh"
    End If
End Function

Public Function csxl_PlanSheet(ByVal english As String, ByVal chinese As String) As Object
    ' A sheet of the active plan by its English or Chinese name; Nothing when missing.
    Dim ws As Object
    On Error Resume Next
    Set ws = ActiveWorkbook.Worksheets(english)
    If ws Is Nothing Then Set ws = ActiveWorkbook.Worksheets(U(chinese))
    On Error GoTo 0
    Set csxl_PlanSheet = ws
End Function

Private Function PlanSetting(ByVal row As Long) As String
    Dim ws As Object, value As Variant
    If ActiveWorkbook Is Nothing Then Exit Function
    Set ws = csxl_PlanSheet("Settings", "\u8BBE\u7F6E")
    If ws Is Nothing Then Exit Function
    On Error Resume Next
    value = ws.Cells(row, SETTINGS_VALUE_COL).Value
    If Not IsError(value) And Not IsEmpty(value) Then PlanSetting = Trim$(CStr(value))
    On Error GoTo 0
End Function

Private Function ConfSetting(ByVal key As String) As String
    Dim lines As Variant, i As Long, at As Long
    lines = Split(Replace(ReadUtf8File(JoinPath(ThisWorkbook.Path, CONF_NAME)), vbCr, ""), vbLf)
    For i = LBound(lines) To UBound(lines)
        at = InStr(1, lines(i), "=")
        If at > 1 And Left$(Trim$(lines(i)), 1) <> "#" Then
            If LCase$(Trim$(Left$(lines(i), at - 1))) = LCase$(key) Then
                ConfSetting = Trim$(Mid$(lines(i), at + 1))
                Exit Function
            End If
        End If
    Next i
End Function

' ------------------------------------------------------------------ files
Private Function TempResultPath() As String
    Dim folder As String
    Randomize
    #If Mac Then
        folder = Environ$("HOME")  ' Excel's sandbox: readable without a permission prompt
    #Else
        folder = CreateObject("Scripting.FileSystemObject").GetSpecialFolder(2).Path
    #End If
    TempResultPath = JoinPath(folder, "csxl-result-" & Format$(Now, "yyyymmdd-hhnnss") & _
        "-" & CStr(Int(Rnd() * 1000000)) & ".txt")
End Function

Public Function ReadUtf8File(ByVal path As String) As String
    ' A UTF-8 text file as a VBA string; "" when it is missing or unreadable.
    ' VBA's own file reading assumes the ANSI code page, which garbles Chinese.
    If Not FileThere(path) Then Exit Function
    On Error GoTo Failed
    #If Mac Then
        Dim f As Integer, bytes() As Byte
        f = FreeFile
        Open path For Binary Access Read As #f
        If LOF(f) > 0 Then
            ReDim bytes(0 To LOF(f) - 1)
            Get #f, , bytes
            ReadUtf8File = Utf8Decode(bytes)
        End If
        Close #f
    #Else
        Dim stream As Object
        Set stream = CreateObject("ADODB.Stream")
        stream.Type = 2  ' adTypeText
        stream.Charset = "utf-8"
        stream.Open
        stream.LoadFromFile path
        ReadUtf8File = stream.ReadText(-1)  ' adReadAll
        stream.Close
    #End If
    Exit Function
Failed:
    ReadUtf8File = ""
End Function
