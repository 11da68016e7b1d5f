Option Explicit
' csxlRibbon: the callbacks of the buttons on the ribbon tab (customUI14.xml).
'
' Each button runs the same csxl command a person would type (see csxlRun): validate,
' refresh and score work on the plan open in Excel (--live); new, batch and consolidate
' write files, and new and consolidate open what they made; import closes the plan (with
' the manager's consent, saving it first), imports into the file, reopens and refreshes it.
' A callback never saves the active workbook otherwise.
'
' Every callback has an error handler (csxl_Fail): an error shows what failed and what to
' do, never VBA's dialog with its Debug button, and the status bar is reset.

' ------------------------------------------------------------------ data
Public Sub csxl_OnValidate(control As IRibbonControl)
    On Error GoTo Failed
    csxl_RunOnActive "validate"
    Exit Sub
Failed:
    csxl_Fail "validate"
End Sub

Public Sub csxl_OnRefresh(control As IRibbonControl)
    On Error GoTo Failed
    csxl_RunOnActive "refresh"
    Exit Sub
Failed:
    csxl_Fail "refresh"
End Sub

Public Sub csxl_OnScore(control As IRibbonControl)
    On Error GoTo Failed
    csxl_RunOnActive "score"
    Exit Sub
Failed:
    csxl_Fail "score"
End Sub

Public Sub csxl_OnImport(control As IRibbonControl)
    ' An export into the active plan as one data source (csxl import works on the file, so
    ' the plan is saved and closed first, with consent), then the plan reopened, refreshed.
    Dim plan As String, exportFile As String, source As Variant, lang As String
    On Error GoTo Failed
    lang = csxl_Lang()
    If ActiveWorkbook Is Nothing Then
        csxl_Box Msg("no_workbook", lang), vbExclamation
        Exit Sub
    End If
    If csxl_PlanSheet("Settings", "\u8BBE\u7F6E") Is Nothing Then
        csxl_Box Msg("not_plan", lang), vbExclamation
        Exit Sub
    End If
    If ActiveWorkbook.Path = "" Then
        csxl_Box Msg("save_first", lang), vbExclamation
        Exit Sub
    End If
    exportFile = AskOpen(Msg("choose_export", lang))
    If exportFile = "" Then Exit Sub
    source = Application.InputBox(Msg("import_source", lang), "csxl", "", Type:=2)
    If VarType(source) <> vbString Then Exit Sub  ' Cancel gives False
    If Trim$(source) = "" Then Exit Sub
    If csxl_Box(Fill(Msg("import_close", lang), ActiveWorkbook.Name), _
            vbYesNo + vbQuestion) <> vbYes Then Exit Sub
    plan = ActiveWorkbook.FullName
    ActiveWorkbook.Save
    csxl_ReopenAfter plan, "refresh"
    ActiveWorkbook.Close SaveChanges:=False
    csxl_Run Array("import", plan, exportFile, "--source", Trim$(source), "--lang", lang)
    Exit Sub
Failed:
    csxl_Fail "import"
End Sub

' ------------------------------------------------------------------ plans
Public Sub csxl_OnNewPlan(control As IRibbonControl)
    Dim target As String
    On Error GoTo Failed
    target = AskSaveAs("plan.xlsx", Msg("new_plan_as", csxl_Lang()))
    If target = "" Then Exit Sub
    csxl_RunAndOpen Array("new", target, "--lang", csxl_Lang())
    Exit Sub
Failed:
    csxl_Fail "new"
End Sub

Public Sub csxl_OnBatch(control As IRibbonControl)
    ' The active workbook is the roster; csxl reads its saved file.
    Dim roster As String, outDir As String, exportFile As String
    On Error GoTo Failed
    If ActiveWorkbook Is Nothing Then
        csxl_Box Msg("no_workbook", csxl_Lang()), vbExclamation
        Exit Sub
    End If
    If ActiveWorkbook.Path = "" Or Not ActiveWorkbook.Saved Then
        csxl_Box Msg("save_first", csxl_Lang()), vbExclamation
        Exit Sub
    End If
    roster = ActiveWorkbook.FullName
    outDir = AskFolder(Msg("choose_out", csxl_Lang()))
    If outDir = "" Then Exit Sub
    If csxl_Box(Msg("ask_data", csxl_Lang()), vbYesNo + vbQuestion) = vbYes Then
        exportFile = AskOpen(Msg("choose_export", csxl_Lang()))
    End If
    If exportFile = "" Then
        csxl_Run Array("batch", roster, "--out", outDir)
    Else
        csxl_Run Array("batch", roster, "--out", outDir, "--data", exportFile)
    End If
    Exit Sub
Failed:
    csxl_Fail "batch"
End Sub

Public Sub csxl_OnConsolidate(control As IRibbonControl)
    Dim teams As String, target As String
    On Error GoTo Failed
    teams = AskFolder(Msg("choose_teams", csxl_Lang()))
    If teams = "" Then Exit Sub
    target = AskSaveAs("summary.xlsx", Msg("save_summary", csxl_Lang()))
    If target = "" Then Exit Sub
    csxl_RunAndOpen Array("consolidate", teams, "--out", target)
    Exit Sub
Failed:
    csxl_Fail "consolidate"
End Sub

' ------------------------------------------------------------------ tools
Public Sub csxl_OnStaffing(control As IRibbonControl)
    On Error GoTo Failed
    csxl_RunOnActive "staff"
    Exit Sub
Failed:
    csxl_Fail "staff"
End Sub

' ------------------------------------------------------------------ settings and help
Public Sub csxl_OnSettings(control As IRibbonControl)
    On Error GoTo Failed
    ShowPlanSheet "Settings", "\u8BBE\u7F6E", Msg("conf_hint", csxl_Lang())
    Exit Sub
Failed:
    csxl_Fail "Settings"
End Sub

Public Sub csxl_OnGuide(control As IRibbonControl)
    On Error GoTo Failed
    ShowPlanSheet "Guide", "\u6307\u5357", Msg("guide", csxl_Lang())
    Exit Sub
Failed:
    csxl_Fail "Guide"
End Sub

Public Sub csxl_OnCheck(control As IRibbonControl)
    ' What the add-in finds, then what "csxl doctor" finds (exe, Python, versions).
    Dim exe As String, lang As String, report As String
    On Error GoTo Failed
    lang = csxl_Lang()
    exe = csxl_FindExe()
    report = Msg("addin", lang) & " " & ThisWorkbook.FullName & vbCrLf
    If exe = "" Then
        report = report & Msg("exe", lang) & " " & Msg("none", lang) & vbCrLf
    Else
        report = report & Msg("exe", lang) & " " & exe & vbCrLf
    End If
    report = report & Msg("python", lang) & " " & csxl_Setting("python") & vbCrLf
    report = report & "Excel " & Application.Version & ", " & Application.OperatingSystem
    report = report & vbCrLf & vbCrLf & Msg("order", lang)
    report = report & vbCrLf & vbCrLf & Msg("trust", lang)
    csxl_Box report, vbInformation
    csxl_Run Array("doctor", "--addin", ThisWorkbook.FullName, "--lang", lang)
    Exit Sub
Failed:
    csxl_Fail "Check"
End Sub

' ------------------------------------------------------------------ dialogs
Private Sub ShowPlanSheet(ByVal english As String, ByVal chinese As String, ByVal otherwise As String)
    Dim ws As Object
    If Not ActiveWorkbook Is Nothing Then Set ws = csxl_PlanSheet(english, chinese)
    If ws Is Nothing Then
        csxl_Box otherwise, vbInformation
        Exit Sub
    End If
    On Error GoTo Locked
    csxl_ShowSheet ws
    Exit Sub
Locked:
    csxl_Box Fill(Msg("sheet_locked", csxl_Lang()), ws.Name), vbExclamation
End Sub

Private Function AskSaveAs(ByVal suggested As String, ByVal prompt As String) As String
    Dim answer As Variant
    answer = Application.GetSaveAsFilename(InitialFileName:=suggested, _
        FileFilter:="Excel (*.xlsx), *.xlsx", Title:=prompt)
    If VarType(answer) = vbString Then AskSaveAs = answer
End Function

Private Function AskOpen(ByVal prompt As String) As String
    Dim answer As Variant
    answer = Application.GetOpenFilename( _
        FileFilter:="Tickets (*.xlsx;*.xlsm;*.csv), *.xlsx;*.xlsm;*.csv", Title:=prompt)
    If VarType(answer) = vbString Then AskOpen = answer
End Function

Private Function AskFolder(ByVal prompt As String) As String
    #If Mac Then
        AskFolder = InputBox(prompt, "csxl")
    #Else
        With Application.FileDialog(4)  ' msoFileDialogFolderPicker
            .Title = prompt
            .AllowMultiSelect = False
            If .Show = -1 Then AskFolder = .SelectedItems(1)
        End With
    #End If
End Function
