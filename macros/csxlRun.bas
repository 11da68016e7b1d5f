Option Explicit
' csxlRun: how a ribbon button runs csxl on the active workbook.
'
' On Windows the csxl program (csxl.exe) is run with the verb, --live and the active
' workbook's full name, and a --result-file into which it writes what it did as UTF-8 text
' (a header "exit=", "made=", then the message); the button waits for it
' (WScript.Shell.Run ..., 0, True) and shows the message. The program writes into the open
' workbook through xlwings (Excel holds a lock on the file). Nothing is saved behind the
' manager's back: saving stays the manager's choice. Where no program is found, and always
' on Mac, the same command runs through RunPython (module xlwings) with a Python that has
' csxl installed.
'
' Which program runs is never read from a workbook: a plan received by mail must not be
' able to start a program through the manager's own trusted add-in. csxl_FindExe looks in
' csxl.conf (beside the add-in, then in the user's own %APPDATA%\csxl), beside the add-in,
' in %APPDATA%\csxl\csxl and on PATH; the Python for RunPython comes from csxl.conf only.
' A test checks that the search reads no workbook, sheet or range.
'
' Always ActiveWorkbook (the plan the manager is looking at), never ThisWorkbook (this
' add-in) for the work itself. No module-level Workbook or Application references.
'
' File and environment access goes through Scripting.FileSystemObject and
' WScript.Shell.ExpandEnvironmentStrings (Unicode: a Chinese user name works), with VBA's
' own Dir/Kill/Environ only where those objects do not exist (Mac, LibreOffice).

' Rows of the plan's Settings sheet: keep equal to csxl.workbook.layout.Settings (a test
' compares them). Only the language is read from a plan.
Private Const SETTINGS_VALUE_COL As Long = 2
Private Const SETTINGS_ROW_LANG As Long = 6

Private Const EXE_NAME As String = "csxl.exe"
Private Const CONF_NAME As String = "csxl.conf"
Private Const APP_TITLE As String = "csxl"
Private Const SHEET_VISIBLE As Long = -1  ' xlSheetVisible

Public Const START_FAILED As Long = -9999  ' csxl_Shell: the program did not start

Private searchedPlaces As String
Private lastStartError As String
Private openWhenDone As Boolean  ' open the result's made= file (new plan, summary)
Private reopenWhenDone As String  ' a plan closed for a file command: open it again
Private verbWhenDone As String  ' then run this verb on it (import: refresh)

' ------------------------------------------------------------------ running csxl
Public Sub csxl_RunOnActive(ByVal verb As String)
    ' validate / refresh / score / staff on the plan open in Excel.
    If ActiveWorkbook Is Nothing Then
        csxl_Box Msg("no_workbook", csxl_Lang()), vbExclamation
        Exit Sub
    End If
    csxl_Run Array(verb, "--live", ActiveWorkbook.FullName)
End Sub

Public Function csxl_RunAndOpen(ByVal args As Variant) As Long
    ' csxl_Run, then open what the command made (its result's made= file) when it worked.
    openWhenDone = True
    csxl_RunAndOpen = csxl_Run(args)
    openWhenDone = False
End Function

Public Sub csxl_ReopenAfter(ByVal fullName As String, ByVal verb As String)
    ' The next result reopens fullName (closed for a file command), then runs verb on it.
    reopenWhenDone = fullName
    verbWhenDone = verb
End Sub

Public Function csxl_Run(ByVal args As Variant) As Long
    ' Runs csxl with args plus --result-file; shows the result. Returns csxl's exit code
    ' (0 done, 1 done with warnings, 2 refused, 3 open in Excel), or -1 when the result
    ' comes later (Mac) or nothing could run.
    Dim resultFile As String, exe As String, code As Long, python As String
    resultFile = TempResultPath()
    Application.StatusBar = Msg("working", csxl_Lang())
    #If Mac Then
        RunPython "import csxl.excel.button as B; B.run_button(" & _
            PyList(WithResultFile(args, resultFile)) & ")"
        csxl_Run = -1
    #Else
        exe = csxl_FindExe()
        python = csxl_Setting("python")
        If exe <> "" Then
            code = RunProgram(CommandLine(exe, WithResultFile(args, resultFile)))
            If code = START_FAILED And python <> "" Then code = RunViaPython(args, resultFile)
            If code = START_FAILED Then
                ShowBlocked exe
                csxl_Run = -1
                Exit Function
            End If
        Else
            code = RunViaPython(args, resultFile)
            If code <> 0 And Not FileThere(resultFile) Then
                Application.StatusBar = False
                If code = START_FAILED And python <> "" Then
                    ShowBlocked python
                Else
                    csxl_Box Msg("not_found", csxl_Lang()) & vbCrLf & vbCrLf & _
                        Msg("searched", csxl_Lang()) & vbCrLf & searchedPlaces & vbCrLf & _
                        Msg("fix_exe", csxl_Lang()), vbCritical
                End If
                AfterResult -1, ""
                csxl_Run = -1
                Exit Function
            End If
        End If
        csxl_ShowResult resultFile, code
        csxl_Run = code
    #End If
End Function

Private Function RunViaPython(ByVal args As Variant, ByVal resultFile As String) As Long
    RunViaPython = RunPython("import csxl.excel.button as B; B.run_button(" & _
        PyList(WithResultFile(args, resultFile)) & ")")
End Function

Public Function csxl_Shell(ByVal commandText As String) As Long
    ' Starts a program hidden and waits for it: its exit code, or START_FAILED when it could
    ' not be started (no such file, or a policy that stops Office from starting programs).
    ' The command line is passed as it is: % is escaped (see EscapePercent).
    Dim wsh As Object
    On Error GoTo NotStarted
    Set wsh = CreateObject("WScript.Shell")
    wsh.Environment("Process")(PERCENT_VAR) = "%"
    csxl_Shell = wsh.Run(EscapePercent(commandText), 0, True)
    Exit Function
NotStarted:
    lastStartError = "(" & CStr(Err.Number) & ") " & Err.Description
    csxl_Shell = START_FAILED
End Function

Private Function RunProgram(ByVal commandText As String) As Long
    RunProgram = csxl_Shell(commandText)
    Application.StatusBar = False
End Function

Private Sub ShowBlocked(ByVal program As String)
    ' The program exists but could not be started: say so, and what can be done.
    Application.StatusBar = False
    csxl_Box Fill(Msg("blocked", csxl_Lang()), program, lastStartError), vbCritical
    AfterResult -1, ""
End Sub

Public Sub csxl_ShowResult(ByVal resultFile As Variant, ByVal code As Variant)
    ' Shows the UTF-8 result csxl wrote, then does what the button asked for afterwards
    ' (open what was made, reopen a plan). Also called by csxl on Mac when it is done.
    Dim text As String, message As String, icon As Long, exitCode As Long, made As String
    On Error GoTo Failed
    Application.StatusBar = False
    text = ReadUtf8File(CStr(resultFile))
    exitCode = CLng(code)
    If exitCode = -1 And ResultField(text, "exit") <> "" Then exitCode = CLng(ResultField(text, "exit"))
    made = ResultField(text, "made")
    message = ResultMessage(text)
    If Trim$(message) = "" Then message = Msg("no_result", csxl_Lang()) & " " & CStr(exitCode)
    If Len(message) > 1500 Then message = Left$(message, 1500) & vbCrLf & "..."
    Select Case exitCode
        Case 0: icon = vbInformation
        Case 1: icon = vbExclamation
        Case Else: icon = vbCritical
    End Select
    csxl_Box message, icon
    DeleteFile CStr(resultFile)
    AfterResult exitCode, made
    Exit Sub
Failed:
    csxl_Fail "csxl_ShowResult"
End Sub

Private Sub AfterResult(ByVal exitCode As Long, ByVal made As String)
    ' What a button asked for once csxl is done: open what it made, or reopen the plan it
    ' closed and run the next verb on it.
    Dim again As String, verb As String, doOpen As Boolean
    doOpen = openWhenDone
    openWhenDone = False
    again = reopenWhenDone
    verb = verbWhenDone
    reopenWhenDone = ""
    verbWhenDone = ""
    If doOpen And (exitCode = 0 Or exitCode = 1) And made <> "" Then csxl_Open made
    If again <> "" Then
        csxl_Open again
        If verb <> "" And (exitCode = 0 Or exitCode = 1) Then csxl_RunOnActive verb
    End If
End Sub

Public Sub csxl_Open(ByVal fullName As String)
    ' Opens a workbook unless it is open already (then shows it).
    Dim wb As Object
    For Each wb In Workbooks
        If StrComp(wb.FullName, fullName, vbTextCompare) = 0 Then
            wb.Activate
            Exit Sub
        End If
    Next wb
    If FileThere(fullName) Then
        Workbooks.Open fullName
    Else
        csxl_Box Fill(Msg("reopen", csxl_Lang()), fullName), vbExclamation
    End If
End Sub

' ------------------------------------------------------------------ messages
Public Function csxl_Box(ByVal text As String, ByVal flags As Long) As Long
    ' A message box that keeps Unicode text on any Windows language (csxlBox).
    On Error GoTo Plain
    #If Mac Then
        csxl_Box = MsgBox(text, flags, APP_TITLE)
    #Else
        csxl_Box = csxl_BoxW(text, APP_TITLE, flags)
    #End If
    Exit Function
Plain:
    csxl_Box = MsgBox(text, flags, APP_TITLE)
End Function

Public Sub csxl_Fail(ByVal what As String)
    ' The error handler of every entry point: what failed and what to do, never the VBA
    ' dialog with its Debug button; the status bar is reset.
    Dim detail As String
    detail = "(" & CStr(Err.Number) & ") " & Err.Description
    On Error Resume Next
    Application.StatusBar = False
    Application.ScreenUpdating = True
    Application.Cursor = -4143  ' xlDefault
    openWhenDone = False
    verbWhenDone = ""
    If reopenWhenDone <> "" Then
        csxl_Open reopenWhenDone
        reopenWhenDone = ""
    End If
    csxl_Box Fill(Msg("failed", csxl_Lang()), what, detail), vbCritical
End Sub

' ------------------------------------------------------------------ finding csxl.exe
Public Function csxl_FindExe() As String
    ' The program, from places outside any workbook only: exe in csxl.conf (beside the
    ' add-in, then the user's own), csxl.exe beside the add-in, the one install location
    ' %APPDATA%\csxl\csxl\csxl.exe, then each folder on PATH.
    Dim configured As String, folders As Variant, i As Long, found As String
    searchedPlaces = ""
    configured = ConfSetting("exe")
    If configured <> "" Then
        If LCase$(Right$(configured, 4)) <> ".exe" Then configured = JoinPath(configured, EXE_NAME)
        found = FirstFile(Array(configured))
    End If
    If found = "" Then
        found = FirstFile(Array(JoinPath(AddinFolder(), EXE_NAME), _
            JoinPath(JoinPath(AddinFolder(), "csxl"), EXE_NAME)))
    End If
    If found = "" And UserFolder() <> "" Then
        found = FirstFile(Array(JoinPath(JoinPath(UserFolder(), "csxl"), EXE_NAME)))
    End If
    If found = "" Then
        folders = Split(EnvValue("PATH"), ";")
        For i = LBound(folders) To UBound(folders)
            If Trim$(folders(i)) <> "" And found = "" Then
                If FileThere(JoinPath(Trim$(folders(i)), EXE_NAME)) Then
                    found = JoinPath(Trim$(folders(i)), EXE_NAME)
                End If
            End If
        Next i
        If found = "" Then searchedPlaces = searchedPlaces & "PATH" & vbCrLf
    End If
    csxl_FindExe = found
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

Private Function AddinFolder() As String
    ' Where this add-in is: its own folder, not the content of any workbook.
    AddinFolder = ThisWorkbook.Path
End Function

Public Function UserFolder() As String
    ' The user's own csxl folder (%APPDATA%\csxl on Windows, ~/csxl in Excel's Mac
    ' container); "" when there is no such variable.
    Dim root As String
    root = EnvValue("APPDATA")
    If root = "" Then root = EnvValue("HOME")
    If root <> "" Then UserFolder = JoinPath(root, "csxl")
End Function

Private Function JoinPath(ByVal folder As String, ByVal fileName As String) As String
    Dim sep As String
    sep = Application.PathSeparator
    If folder = "" Then
        JoinPath = fileName
    ElseIf Right$(folder, 1) = sep Then
        JoinPath = folder & fileName
    Else
        JoinPath = folder & sep & fileName
    End If
End Function

' ------------------------------------------------------------------ settings
Public Function csxl_Setting(ByVal key As String) As String
    ' A setting of the add-in: csxl.conf beside the add-in, then the user's csxl.conf.
    ' Only the language may also come from the plan (csxl_Lang).
    csxl_Setting = ConfSetting(key)
End Function

Public Function csxl_Lang() As String
    ' "zh" or "en": the plan's language, else csxl.conf, else zh.
    Dim lang As String
    lang = PlanLanguage()
    If lang = "" Then lang = ConfSetting("lang")
    If LCase$(lang) = "en" Then
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

Public Sub csxl_ShowSheet(ByVal ws As Object)
    ' Shows a sheet, unhiding it first: activating a hidden sheet fails with error 1004.
    If ws.Visible <> SHEET_VISIBLE Then ws.Visible = SHEET_VISIBLE
    ws.Activate
End Sub

Private Function PlanLanguage() As String
    Dim ws As Object, value As Variant
    On Error GoTo Done
    If ActiveWorkbook Is Nothing Then Exit Function
    Set ws = csxl_PlanSheet("Settings", "\u8BBE\u7F6E")
    If ws Is Nothing Then Exit Function
    value = ws.Cells(SETTINGS_ROW_LANG, SETTINGS_VALUE_COL).Value
    If Not IsError(value) And Not IsEmpty(value) Then PlanLanguage = Trim$(CStr(value))
Done:
End Function

Private Function ConfSetting(ByVal key As String) As String
    ConfSetting = ConfValue(ReadUtf8File(JoinPath(AddinFolder(), CONF_NAME)), key)
    If ConfSetting = "" And UserFolder() <> "" Then
        ConfSetting = ConfValue(ReadUtf8File(JoinPath(UserFolder(), CONF_NAME)), key)
    End If
End Function

' ------------------------------------------------------------------ files and environment
Private Function NewObject(ByVal progId As String) As Object
    ' A COM object, or Nothing where there is none (Mac, LibreOffice on Linux).
    On Error Resume Next
    Set NewObject = CreateObject(progId)
    On Error GoTo 0
End Function

Public Function EnvValue(ByVal name As String) As String
    ' An environment variable as Unicode (WScript.Shell); Environ where there is no
    ' WScript.Shell. "" when it is not set.
    Dim wsh As Object, pattern As String, value As String
    pattern = "%" & name & "%"
    Set wsh = NewObject("WScript.Shell")
    If wsh Is Nothing Then
        EnvValue = Environ(name)
    Else
        value = wsh.ExpandEnvironmentStrings(pattern)
        If value <> pattern Then EnvValue = value
    End If
End Function

Public Function FileThere(ByVal path As String) As Boolean
    ' FileSystemObject on Windows: Unicode paths (a Chinese user name) work, Dir() may not.
    Dim fso As Object
    If path = "" Then Exit Function
    On Error GoTo Done
    Set fso = NewObject("Scripting.FileSystemObject")
    If fso Is Nothing Then
        FileThere = (Dir(path) <> "")
    Else
        FileThere = fso.FileExists(path)
    End If
Done:
End Function

Private Sub DeleteFile(ByVal path As String)
    Dim fso As Object
    On Error GoTo Done
    If Not FileThere(path) Then Exit Sub
    Set fso = NewObject("Scripting.FileSystemObject")
    If fso Is Nothing Then
        Kill path
    Else
        fso.DeleteFile path, True
    End If
Done:
End Sub

Private Function TempResultPath() As String
    Dim folder As String, fso As Object
    Randomize
    Set fso = NewObject("Scripting.FileSystemObject")
    If fso Is Nothing Then
        folder = EnvValue("HOME")  ' Excel's Mac sandbox: readable without a prompt
    Else
        folder = fso.GetSpecialFolder(2).Path
    End If
    TempResultPath = JoinPath(folder, "csxl-result-" & Format$(Now, "yyyymmdd-hhnnss") & _
        "-" & CStr(Int(Rnd() * 1000000)) & ".txt")
End Function

Public Function ReadUtf8File(ByVal path As String) As String
    ' A UTF-8 text file as a VBA string; "" when it is missing or unreadable.
    ' VBA's own file reading assumes the ANSI code page, which garbles Chinese.
    Dim stream As Object, f As Integer, bytes() As Byte
    If Not FileThere(path) Then Exit Function
    On Error GoTo Failed
    Set stream = NewObject("ADODB.Stream")
    If stream Is Nothing Then
        f = FreeFile
        Open path For Binary Access Read As #f
        If LOF(f) > 0 Then
            ReDim bytes(0 To LOF(f) - 1)
            Get #f, , bytes
            ReadUtf8File = Utf8Decode(bytes)
        End If
        Close #f
    Else
        stream.Type = 2  ' adTypeText
        stream.Charset = "utf-8"
        stream.Open
        stream.LoadFromFile path
        ReadUtf8File = stream.ReadText(-1)  ' adReadAll
        stream.Close
    End If
    Exit Function
Failed:
    ReadUtf8File = ""
End Function
