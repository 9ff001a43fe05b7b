<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivityDialog</name>
    <message>
        <source>Edit activity</source>
        <translation>编辑活动</translation>
    </message>
    <message>
        <source>New activity</source>
        <translation>新增活动</translation>
    </message>
    <message>
        <source>Choose the focus area…</source>
        <translation>请选择活动重点…</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source> people</source>
        <translation> 人</translation>
    </message>
    <message>
        <source>e.g. Quality Month launch ceremony</source>
        <translation>例如：质量月活动启动仪式</translation>
    </message>
    <message>
        <source>Where it took place</source>
        <translation>活动举办地点</translation>
    </message>
    <message>
        <source>Who organised it</source>
        <translation>组织单位或部门</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Focus area</source>
        <translation>活动重点</translation>
    </message>
    <message>
        <source>Activity name</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>活动日期</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参与人数</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>活动成效</translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <source>Focus area</source>
        <translation>活动重点</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>活动日期</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参与人数</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>(not chosen)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（未命名）</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Receipt or problem</source>
        <translation>回执或问题</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>报送至：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) to send.</source>
        <translation>
            <numerusform>共 %n 份报告待发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Needs you</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>回执 %1</translation>
    </message>
    <message>
        <source>Checking and queueing…</source>
        <translation>正在检查并排队…</translation>
    </message>
    <message>
        <source>%1 of %2 reports done · %3 sent</source>
        <translation>已完成 %1/%2 份 · 已发送 %3</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再试一次</translation>
    </message>
    <message numerus="yes">
        <source>All %n report(s) received.</source>
        <translation>
            <numerusform>全部 %n 份报告已送达。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 reports received; the others keep their place in the queue.</source>
        <translation>%2 份中已送达 %1 份；其余的保留在发送队列中，下次继续。</translation>
    </message>
    <message>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <source>Batch upload</source>
        <translation>批量报送</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Connected to %1 as %2.</source>
        <translation>已连接 %1，单位：%2。</translation>
    </message>
    <message>
        <source>Open a connection file</source>
        <translation>打开连接文件</translation>
    </message>
    <message>
        <source>Connection files (*.qmconnect)</source>
        <translation>连接文件 (*.qmconnect)</translation>
    </message>
    <message>
        <source>Connection file for %1 from %2. Click Connect to check and use it.</source>
        <translation>这是%2发给“%1”的连接文件。请点击“连接”进行核对并启用。</translation>
    </message>
    <message>
        <source>Fill in the server address and the connection code first.</source>
        <translation>请先填写服务器地址和连接码。</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>正在核对连接…</translation>
    </message>
    <message>
        <source>Connected. The office knows this unit as: %1 (district: %2).</source>
        <translation>连接成功。报送办公室登记的单位为：%1（区县：%2）。</translation>
    </message>
    <message>
        <source>This computer&apos;s unit details differ from the office&apos;s:</source>
        <translation>本机的单位信息与办公室登记的不一致：</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Disconnected from %1; the connection code was removed.</source>
        <translation>已断开与 %1 的连接，连接码已删除。</translation>
    </message>
    <message>
        <source>Connect to the intake server</source>
        <translation>连接报送服务器</translation>
    </message>
    <message>
        <source>Open the connection file (.qmconnect) the office gave you, or type the server&apos;s address and paste your unit&apos;s connection code.</source>
        <translation>请打开报送办公室发放的连接文件（.qmconnect），或填写服务器地址并粘贴本单位的连接码。</translation>
    </message>
    <message>
        <source>Open a connection file…</source>
        <translation>打开连接文件…</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Connection code</source>
        <translation>连接码</translation>
    </message>
    <message>
        <source>Use the unit&apos;s details as the office has them</source>
        <translation>采用办公室登记的单位信息</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
</context>
<context>
    <name>Coordinator</name>
    <message>
        <source>Inbox</source>
        <translation>收件箱</translation>
    </message>
    <message>
        <source>&amp;District</source>
        <translation>区县汇总(&amp;D)</translation>
    </message>
    <message>
        <source>Import packages or mails…</source>
        <translation>导入报送包或邮件…</translation>
    </message>
    <message>
        <source>Batch upload…</source>
        <translation>批量报送…</translation>
    </message>
    <message>
        <source>Import expected units…</source>
        <translation>导入应报单位名单…</translation>
    </message>
    <message>
        <source>Roll-up export…</source>
        <translation>导出区县汇总…</translation>
    </message>
    <message>
        <source>Import a note returning a report…</source>
        <translation>导入退回意见文件…</translation>
    </message>
    <message>
        <source>Received from %1 — read only. Check it or return it in the inbox below.</source>
        <translation>收到的“%1”的报告——只读。请在下方收件箱中标记已审核或退回修改。</translation>
    </message>
    <message>
        <source>Expected units</source>
        <translation>应报单位名单</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Not imported</source>
        <translation>未导入</translation>
    </message>
    <message>
        <source>%1 units are expected to report.</source>
        <translation>应报单位共 %1 家。</translation>
    </message>
    <message>
        <source>Save the roll-up in</source>
        <translation>汇总文件保存到</translation>
    </message>
    <message>
        <source>Not exported</source>
        <translation>未导出</translation>
    </message>
    <message>
        <source>Roll-up exported</source>
        <translation>已导出区县汇总</translation>
    </message>
    <message>
        <source>%1 reports with %2 activities; %3 expected units have not reported.</source>
        <translation>共汇总 %1 份报告、%2 项活动；应报单位中有 %3 家尚未报送。</translation>
    </message>
    <message>
        <source>Import a note returning a report</source>
        <translation>导入退回意见文件</translation>
    </message>
    <message>
        <source>Return notes (*.qmnote)</source>
        <translation>退回意见文件 (*.qmnote)</translation>
    </message>
    <message>
        <source>Returned for revision</source>
        <translation>已退回修改</translation>
    </message>
    <message>
        <source>The report was returned for revision:
%1</source>
        <translation>该报告已被退回修改：
%1</translation>
    </message>
</context>
<context>
    <name>DeadlineWidget</name>
    <message>
        <source>⚠ The computer&apos;s clock looks wrong; check the date and time.</source>
        <translation>⚠ 本机时钟可能不准确，请核对日期和时间。</translation>
    </message>
    <message>
        <source>Deadline: %1 (%2)</source>
        <translation>截止时间：%1（%2）</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>18 characters</source>
        <translation>18 位代码</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Activities (%1)</source>
        <translation>活动（%1）</translation>
    </message>
    <message>
        <source>Photos and videos (%1)</source>
        <translation>图片和视频（%1）</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>revision %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>(handed in: a change starts revision %1)</source>
        <translation>（已报送：如再修改将生成第 %1 版）</translation>
    </message>
    <message>
        <source>(exported: a change starts revision %1)</source>
        <translation>（已导出：如再修改将生成第 %1 版）</translation>
    </message>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>共 %n 字</numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved yet: %1</source>
        <translation>尚未保存：%1</translation>
    </message>
    <message>
        <source>No unit profile yet: set it in Edit ▸ My unit profile.</source>
        <translation>尚未填写本单位信息，请在“编辑 ▸ 本单位信息”中填写。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Move earlier</source>
        <translation>前移</translation>
    </message>
    <message>
        <source>Move later</source>
        <translation>后移</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation>已重做：%1</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Title of the activity summary</source>
        <translation>活动情况总结的标题</translation>
    </message>
    <message>
        <source>Unit and summary</source>
        <translation>单位信息与总结正文</translation>
    </message>
    <message>
        <source>Reporting unit</source>
        <translation>报送单位</translation>
    </message>
    <message>
        <source>Unit type</source>
        <translation>单位类型</translation>
    </message>
    <message>
        <source>District</source>
        <translation>所属区县</translation>
    </message>
    <message>
        <source>Unit name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <source>Fill in from my unit profile</source>
        <translation>用本单位信息填写</translation>
    </message>
    <message>
        <source>Activity summary</source>
        <translation>活动情况总结正文</translation>
    </message>
    <message>
        <source>How the Quality Month was organised, the main activities, what they achieved, and what comes next.</source>
        <translation>请写明质量月活动的组织情况、主要活动、取得的成效和下一步打算。</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Add activity…</source>
        <translation>新增活动…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Photos and videos</source>
        <translation>图片和视频</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Drop photos, videos or folders here. F2 edits a caption; a double-click opens the file.</source>
        <translation>可把照片、视频或文件夹拖到这里。按 F2 编辑说明，双击打开文件。</translation>
    </message>
</context>
<context>
    <name>EditorActivities</name>
    <message>
        <source>Activity not saved</source>
        <translation>活动未保存</translation>
    </message>
    <message>
        <source>Activity removed. Undo with Ctrl+Z.</source>
        <translation>已删除活动，按 Ctrl+Z 可撤销。</translation>
    </message>
</context>
<context>
    <name>EditorMedia</name>
    <message numerus="yes">
        <source>Remove %n photo(s) or video(s)</source>
        <translation>
            <numerusform>移除 %n 个图片或视频</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) removed. Undo with Ctrl+Z.</source>
        <translation>
            <numerusform>已移除 %n 个文件，按 Ctrl+Z 可撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Edit caption</source>
        <translation>编辑说明</translation>
    </message>
    <message>
        <source>Belongs to activity</source>
        <translation>归属活动</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>Move earlier</source>
        <translation>前移</translation>
    </message>
    <message>
        <source>Move later</source>
        <translation>后移</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>qmclient: unexpected error</source>
        <translation>程序出现意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that qmclient did not expect. What you typed has been saved; you can go on working, or restart the program if it misbehaves.</source>
        <translation>程序遇到了意外问题。您填写的内容已经保存，可以继续工作；如程序表现异常，请重新启动。</translation>
    </message>
    <message>
        <source>(no log file)</source>
        <translation>（无日志文件）</translation>
    </message>
    <message>
        <source>Error: %1

The details were written to the log file:
%2</source>
        <translation>错误：%1

详细信息已写入日志文件：
%2</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>qmclient cannot open its data</source>
        <translation>无法打开数据</translation>
    </message>
    <message>
        <source>The data was written by a newer version of qmclient.</source>
        <translation>数据由更新版本的本程序创建。</translation>
    </message>
    <message>
        <source>The database of qmclient is damaged.</source>
        <translation>本程序的数据库已损坏。</translation>
    </message>
    <message>
        <source>The data folder of qmclient cannot be used.</source>
        <translation>数据文件夹无法使用。</translation>
    </message>
    <message>
        <source>Restore the newest backup</source>
        <translation>恢复最近的备份</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export: %1</source>
        <translation>导出：%1</translation>
    </message>
    <message>
        <source>Export draft</source>
        <translation>导出草稿</translation>
    </message>
    <message>
        <source>What will be produced (working it out…)</source>
        <translation>将生成的文件（正在计算……）</translation>
    </message>
    <message>
        <source>What will be produced</source>
        <translation>将生成的文件</translation>
    </message>
    <message>
        <source>Word summary</source>
        <translation>Word 总结</translation>
    </message>
    <message>
        <source>Excel table</source>
        <translation>Excel 活动表</translation>
    </message>
    <message>
        <source>Report package</source>
        <translation>报告数据包</translation>
    </message>
    <message>
        <source>mail %1 of %2: %3</source>
        <translation>第 %1/%2 封邮件：%3</translation>
    </message>
    <message>
        <source>• … and %1 more</source>
        <translation>• ……另有 %1 项</translation>
    </message>
    <message numerus="yes">
        <source>The report has %n problem(s) to fix before it can be exported:</source>
        <translation>
            <numerusform>报告还有 %n 项必须修改的问题，修改后才能正式导出：</numerusform>
        </translation>
    </message>
    <message>
        <source>Fix them, or export a draft (every file then says 草稿).</source>
        <translation>请先修改；也可以导出草稿供核对（各文件均标明“草稿”）。</translation>
    </message>
    <message>
        <source>Each e-mail stays under the campaign&apos;s limit of %1.</source>
        <translation>每封邮件都不超过本次活动规定的 %1。</translation>
    </message>
    <message>
        <source>Export the report?</source>
        <translation>导出报告？</translation>
    </message>
    <message>
        <source>Please note:</source>
        <translation>请注意：</translation>
    </message>
    <message>
        <source>Export it anyway?</source>
        <translation>仍然导出吗？</translation>
    </message>
    <message>
        <source>The folder %1 cannot be created (%2); choose another.</source>
        <translation>无法创建文件夹 %1（%2），请换一个文件夹。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出……</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消……</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消，未写入任何文件。</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n file(s) written to %1.</source>
        <translation>
            <numerusform>完成：已将 %n 个文件保存到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Written</source>
        <translation>已生成的文件</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Save in folder</source>
        <translation>保存到文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览……</translation>
    </message>
    <message>
        <source>What to produce</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <source>Word summary (.docx, official document format)</source>
        <translation>Word 活动情况总结（.docx，公文格式）</translation>
    </message>
    <message>
        <source>Excel table of the activities (.xlsx)</source>
        <translation>Excel 活动汇总表（.xlsx）</translation>
    </message>
    <message>
        <source>E-mail drafts (.eml, split to fit the mail size limit)</source>
        <translation>邮件草稿（.eml，按邮件大小上限分封）</translation>
    </message>
    <message>
        <source>Report package (.qmpkg, for the district or a backup)</source>
        <translation>报告数据包（.qmpkg，供区县汇总或备份）</translation>
    </message>
    <message>
        <source>Word: one photo a row, larger (default: two a row)</source>
        <translation>Word 报告中每行一张照片（更大；默认每行两张）</translation>
    </message>
    <message>
        <source>Photos and videos in the e-mails</source>
        <translation>邮件中的图片和视频</translation>
    </message>
    <message>
        <source>Make photos smaller, long side</source>
        <translation>压缩照片，长边</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>JPEG quality</source>
        <translation>JPEG 质量</translation>
    </message>
    <message>
        <source>A video too large for one e-mail:</source>
        <translation>视频超过单封邮件大小时：</translation>
    </message>
    <message>
        <source>Re-encode it smaller</source>
        <translation>重新压缩视频</translation>
    </message>
    <message>
        <source>Leave it out, with a note in the mail</source>
        <translation>不随邮件发送，并在邮件中注明</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Go to the first problem</source>
        <translation>转到第一个问题</translation>
    </message>
    <message>
        <source>Export as a draft (marked 草稿)</source>
        <translation>导出为草稿（标明“草稿”）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ExportMenu</name>
    <message>
        <source>E&amp;xport</source>
        <translation>导出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>Word summary, Excel table, e-mail drafts and the report package</source>
        <translation>Word 总结、Excel 活动表、邮件草稿和报告数据包</translation>
    </message>
    <message>
        <source>Choose a report to export first.</source>
        <translation>请先选择要导出的报告。</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Later</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>The unified social credit code is not valid (18 characters, check the last one).</source>
        <translation>统一社会信用代码不正确（应为 18 位，请核对最后一位校验码）。</translation>
    </message>
    <message>
        <source>The phone number is not valid (a mobile number or 0531 and 8 digits).</source>
        <translation>联系电话不正确（手机号码，或 0531 加 8 位座机号码）。</translation>
    </message>
    <message>
        <source>The e-mail address is not valid.</source>
        <translation>电子邮箱地址不正确。</translation>
    </message>
    <message>
        <source>Choose the campaign file first.</source>
        <translation>请先选择活动定义文件。</translation>
    </message>
    <message>
        <source>Campaign file</source>
        <translation>活动定义文件</translation>
    </message>
    <message>
        <source>Campaign files (*.toml)</source>
        <translation>活动定义文件 (*.toml)</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>From the file %1</source>
        <translation>来自文件 %1</translation>
    </message>
    <message>
        <source>From the endpoint %1; it is fetched at the first sync.</source>
        <translation>来自报送服务器 %1，将在第一次同步时获取。</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Set up qmclient</source>
        <translation>设置向导</translation>
    </message>
    <message>
        <source>Your unit</source>
        <translation>您的单位</translation>
    </message>
    <message>
        <source>Who is reporting? These details are filled into every new report. Only the unit name is needed now; you can complete the rest later.</source>
        <translation>由哪个单位报送？这些信息会自动填入每一份新报告。现在只需填写单位名称，其余可以以后补充。</translation>
    </message>
    <message>
        <source>Unit type</source>
        <translation>单位类型</translation>
    </message>
    <message>
        <source>District</source>
        <translation>所属区县</translation>
    </message>
    <message>
        <source>Unit name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <source>Which campaign are you reporting for? The lead office publishes it with its notice.</source>
        <translation>您为哪一项活动报送材料？活动定义由牵头办公室随通知一同发布。</translation>
    </message>
    <message>
        <source>A campaign that came with qmclient</source>
        <translation>程序自带的活动</translation>
    </message>
    <message>
        <source>A campaign file from the lead office (.toml)</source>
        <translation>牵头办公室下发的活动定义文件（.toml）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>The lead office&apos;s endpoint (address from its notice)</source>
        <translation>牵头办公室的报送服务器（地址见通知）</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>设置完成</translation>
    </message>
    <message>
        <source>qmclient works offline: start drafting now, and send or export the report when it is complete.</source>
        <translation>本程序无需联网即可使用：现在就可以开始起草，材料齐全后再报送或导出。</translation>
    </message>
    <message>
        <source>You can run this set-up again at any time from Help ▸ Set up qmclient.</source>
        <translation>以后可随时通过“帮助 ▸ 设置向导”重新进行设置。</translation>
    </message>
</context>
<context>
    <name>ImportProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Preparing to add the files…</source>
        <translation>正在准备添加文件…</translation>
    </message>
    <message>
        <source>Adding %1 of %2: %3</source>
        <translation>正在添加第 %1 个，共 %2 个：%3</translation>
    </message>
    <message>
        <source>Adding %1: %2 of %3</source>
        <translation>正在添加 %1：已复制 %2，共 %3</translation>
    </message>
    <message numerus="yes">
        <source>(%n more waiting)</source>
        <translation>
            <numerusform>（另有 %n 批等待中）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportReport</name>
    <message>
        <source>Files that were not added</source>
        <translation>未能添加的文件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message numerus="yes">
        <source>%n file(s) added.</source>
        <translation>
            <numerusform>已添加 %n 个文件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be added.</source>
        <translation>
            <numerusform>%n 个文件未能添加。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped.</source>
        <translation>
            <numerusform>%n 个文件已跳过。</numerusform>
        </translation>
    </message>
    <message>
        <source>The import was cancelled; the files not listed were not read.</source>
        <translation>添加已取消，未列出的文件没有读取。</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Filed as</source>
        <translation>归类</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因或版本</translation>
    </message>
    <message>
        <source>Received item</source>
        <translation>收到的文件</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新报告</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>已更新</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Quarantined</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>Broken or unsafe file</source>
        <translation>文件损坏或不安全</translation>
    </message>
    <message>
        <source>Another district</source>
        <translation>不属于本区县</translation>
    </message>
    <message>
        <source>Another campaign</source>
        <translation>其他活动</translation>
    </message>
    <message>
        <source>Older revision</source>
        <translation>旧版本</translation>
    </message>
    <message>
        <source>Fails the checks</source>
        <translation>未通过检查</translation>
    </message>
    <message>
        <source>Mail parts missing</source>
        <translation>邮件分封不全</translation>
    </message>
    <message>
        <source>Conflicts with a report here</source>
        <translation>与本机报告冲突</translation>
    </message>
    <message>
        <source>Made by a newer version</source>
        <translation>由新版本程序生成</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>revision %1</source>
        <translation>第 %1 版</translation>
    </message>
</context>
<context>
    <name>InboxPanel</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Import packages or mails</source>
        <translation>导入报送包或邮件</translation>
    </message>
    <message>
        <source>Packages and mails (*.qmpkg *.eml);;All files (*)</source>
        <translation>报送包和邮件 (*.qmpkg *.eml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Importing %1 of %2: %3</source>
        <translation>正在导入第 %1/%2 项：%3</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>%1 items received, %2 quarantined</source>
        <translation>收到 %1 项，其中 %2 项已隔离</translation>
    </message>
    <message>
        <source>Return for revision</source>
        <translation>退回修改</translation>
    </message>
    <message>
        <source>Comment for %1 (it goes into a note file for the unit):</source>
        <translation>给“%1”的退回意见（将生成退回意见文件，发给报送单位导入）：</translation>
    </message>
    <message>
        <source>Not returned</source>
        <translation>未退回</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>The note for the unit is saved as:
%1</source>
        <translation>给报送单位的退回意见文件已保存为：
%1</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Import packages or mails…</source>
        <translation>导入报送包或邮件…</translation>
    </message>
    <message>
        <source>Drop .qmpkg packages, .eml mails or whole folders here. Double-click a report to read it.</source>
        <translation>可将报送包（.qmpkg）、邮件（.eml）或整个文件夹拖到这里。双击报告可查看内容。</translation>
    </message>
    <message>
        <source>Mark checked</source>
        <translation>标记已审核</translation>
    </message>
    <message>
        <source>Return with comment…</source>
        <translation>退回修改…</translation>
    </message>
    <message>
        <source>Show file</source>
        <translation>查看文件</translation>
    </message>
    <message>
        <source>Expected units…</source>
        <translation>应报单位名单…</translation>
    </message>
    <message>
        <source>Roll-up export…</source>
        <translation>导出区县汇总…</translation>
    </message>
    <message>
        <source>Batch upload…</source>
        <translation>批量报送…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>A new report was started.</source>
        <translation>已新建报告。</translation>
    </message>
    <message>
        <source>(untitled report)</source>
        <translation>（未命名报告）</translation>
    </message>
    <message>
        <source>Delete report</source>
        <translation>删除报告</translation>
    </message>
    <message>
        <source>Delete “%1” with its activities and the list of its photos and videos? This cannot be undone.</source>
        <translation>确定删除“%1”及其活动和图片视频清单吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Saving, then closing…</source>
        <translation>正在保存，保存后关闭…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The last changes could not be saved (%1). Close anyway?</source>
        <translation>最近的修改未能保存（%1）。仍要关闭吗？</translation>
    </message>
    <message>
        <source>Quality Month Reports</source>
        <translation>质量月活动情况总结报送</translation>
    </message>
    <message>
        <source>Find a report (Ctrl+F)</source>
        <translation>查找报告（Ctrl+F）</translation>
    </message>
    <message>
        <source>No report selected</source>
        <translation>未选择报告</translation>
    </message>
    <message>
        <source>Start a new activity summary, or drop photos, videos or a folder on this window to start one with them.</source>
        <translation>新建一份活动情况总结，或把照片、视频、文件夹拖到本窗口，自动新建报告并添加。</translation>
    </message>
    <message>
        <source>New report</source>
        <translation>新建报告</translation>
    </message>
    <message>
        <source>Opening the reports…</source>
        <translation>正在打开报告…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Report</source>
        <translation>报告(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>&amp;New report</source>
        <translation>新建报告(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new activity summary (Ctrl+N)</source>
        <translation>新建活动情况总结（Ctrl+N）</translation>
    </message>
    <message>
        <source>Add &amp;photos and videos…</source>
        <translation>添加图片和视频(&amp;P)…</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <source>Add photos and videos to this report (Ctrl+O)</source>
        <translation>为本报告添加图片和视频（Ctrl+O）</translation>
    </message>
    <message>
        <source>Add a &amp;folder…</source>
        <translation>添加文件夹(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete report…</source>
        <translation>删除报告…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find a report</source>
        <translation>查找报告(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Remove selected</source>
        <translation>删除所选(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected activity or photos (Del)</source>
        <translation>删除所选的活动或图片（Del）</translation>
    </message>
    <message>
        <source>My unit &amp;profile…</source>
        <translation>本单位信息(&amp;P)…</translation>
    </message>
    <message>
        <source>Add &amp;activity…</source>
        <translation>新增活动(&amp;A)…</translation>
    </message>
    <message>
        <source>Add activity</source>
        <translation>新增活动</translation>
    </message>
    <message>
        <source>Add an activity (Ctrl+Shift+N)</source>
        <translation>新增一项活动（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>&amp;Edit activity…</source>
        <translation>编辑活动(&amp;E)…</translation>
    </message>
    <message>
        <source>Edit the selected activity (Ctrl+Shift+E)</source>
        <translation>编辑选中的活动（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <source>&amp;Check report</source>
        <translation>检查报告(&amp;C)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Check what is missing or wrong (F5)</source>
        <translation>检查缺少或有误的内容（F5）</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About qmclient</source>
        <translation>关于本程序(&amp;A)</translation>
    </message>
</context>
<context>
    <name>Maintenance</name>
    <message>
        <source>&amp;Back up all data…</source>
        <translation>备份全部数据(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore from a backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Set up qmclient…</source>
        <translation>设置向导…</translation>
    </message>
    <message>
        <source>Copy &amp;diagnostics</source>
        <translation>复制诊断信息(&amp;D)</translation>
    </message>
    <message>
        <source>Copy versions, folders and store statistics for support</source>
        <translation>复制版本、文件夹和数据统计信息，供技术支持使用</translation>
    </message>
    <message>
        <source>Network &amp;proxy…</source>
        <translation>网络代理(&amp;P)…</translation>
    </message>
    <message>
        <source>Back up all data</source>
        <translation>备份全部数据</translation>
    </message>
    <message>
        <source>Backup (*.zip)</source>
        <translation>备份文件 (*.zip)</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Backed up %1 files (%2 MB) to %3</source>
        <translation>已备份 %1 个文件（%2 MB）到 %3</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>正在检查备份…</translation>
    </message>
    <message>
        <source>This backup cannot be restored</source>
        <translation>无法恢复该备份</translation>
    </message>
    <message>
        <source>Replace all data in this program by the backup made %1 (%2 files, %3 MB)?

The current data is kept in a folder beside it, and qmclient starts again.</source>
        <translation>用 %1 创建的备份（%2 个文件，%3 MB）替换本程序中的全部数据吗？

现有数据会保留在旁边的文件夹中，程序随后将重新启动。</translation>
    </message>
    <message>
        <source>The last changes could not be saved, so nothing was restored.</source>
        <translation>最近的修改未能保存，因此没有进行恢复。</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Restore failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>诊断信息</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard.</source>
        <translation>诊断信息已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>MediaModel</name>
    <message>
        <source>(no caption) %1</source>
        <translation>（未填说明）%1</translation>
    </message>
    <message>
        <source>Video, %1</source>
        <translation>视频，时长 %1</translation>
    </message>
    <message>
        <source>Activity: %1</source>
        <translation>归属活动：%1</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>(none)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>18 characters</source>
        <translation>18 位代码</translation>
    </message>
    <message>
        <source>e.g. 0531-82568852 or a mobile number</source>
        <translation>例如 0531-82568852 或手机号</translation>
    </message>
    <message>
        <source>Welcome to qmclient</source>
        <translation>欢迎使用质量月活动情况总结报送工具</translation>
    </message>
    <message>
        <source>Skip for now</source>
        <translation>暂时跳过</translation>
    </message>
    <message>
        <source>My unit</source>
        <translation>本单位信息</translation>
    </message>
    <message>
        <source>Who is reporting? These details are filled into every new report; you can change them later in Edit ▸ My unit profile.</source>
        <translation>请填写报送单位的信息。新建报告时会自动填入，以后可在“编辑 ▸ 本单位信息”中修改。</translation>
    </message>
    <message>
        <source>Unit type</source>
        <translation>单位类型</translation>
    </message>
    <message>
        <source>District</source>
        <translation>所属区县</translation>
    </message>
    <message>
        <source>Unit name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
</context>
<context>
    <name>ProxyDialog</name>
    <message>
        <source>Network proxy</source>
        <translation>网络代理</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>使用系统的代理设置</translation>
    </message>
    <message>
        <source>Use this proxy server:</source>
        <translation>使用以下代理服务器：</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>User name (if needed)</source>
        <translation>用户名（如需要）</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The password is kept in the system&apos;s keyring, never in qmclient&apos;s files. Leave it empty to keep the one already saved.</source>
        <translation>密码保存在系统钥匙串中，不会写入本程序的文件。留空则保留已保存的密码。</translation>
    </message>
</context>
<context>
    <name>QProgressDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>回执 %1</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按时报送</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 hour(s)</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>Late by about %1</source>
        <translation>逾期约 %1</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>密钥 %1</translation>
    </message>
    <message>
        <source>, fingerprint %1</source>
        <translation>，指纹 %1</translation>
    </message>
    <message>
        <source>✔ Signature valid: issued by the office and not altered since. Checked on this computer against the office&apos;s public key (%1), received when this computer connected to the intake server.</source>
        <translation>✔ 签名有效：回执由牵头单位签发，签发后未被改动。已在本机用牵头单位的公钥（%1）核对，该公钥是本机连接报送服务器时取得的。</translation>
    </message>
    <message>
        <source>✘ Signature INVALID: this receipt was altered or was not issued by the office (checked against the office&apos;s key %1). Do not rely on it; ask the office.</source>
        <translation>✘ 签名无效：这份回执被改动过，或不是牵头单位签发的（已用牵头单位的密钥 %1 核对）。请勿以此为凭，请联系牵头单位。</translation>
    </message>
    <message>
        <source>This receipt carries no signature; ask the office for a new one.</source>
        <translation>这份回执没有签名，请向牵头单位索取新的回执。</translation>
    </message>
    <message>
        <source>The signature cannot be checked: this computer does not have the office&apos;s key %1. Connect to the intake server (Send ▸ Connect to the intake server), then open the receipt again.</source>
        <translation>无法核对签名：本机没有牵头单位的密钥 %1。请先连接报送服务器（报送 ▸ 连接报送服务器），再打开回执。</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>回执编号</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>(untitled report)</source>
        <translation>（无标题报告）</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>报送单位</translation>
    </message>
    <message>
        <source>Sent on its behalf by</source>
        <translation>代为报送</translation>
    </message>
    <message>
        <source>Received (server time)</source>
        <translation>收到时间（服务器时间）</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>On time or late</source>
        <translation>是否按时</translation>
    </message>
    <message>
        <source>Report SHA-256</source>
        <translation>报告校验值（SHA-256）</translation>
    </message>
    <message>
        <source>Report number (UUID)</source>
        <translation>报告编号（UUID）</translation>
    </message>
    <message>
        <source>Files (%1, %2)</source>
        <translation>文件（%1 个，共 %2）</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Receipt for a Quality Month report</source>
        <translation>质量月活动情况总结 报送回执</translation>
    </message>
    <message>
        <source>receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>Save the receipt as PDF</source>
        <translation>将回执另存为 PDF</translation>
    </message>
    <message>
        <source>Export the receipt</source>
        <translation>导出回执</translation>
    </message>
    <message>
        <source>Receipt, checkable offline (*.json);;Text (*.txt)</source>
        <translation>回执，可离线核对 (*.json);;文本 (*.txt)</translation>
    </message>
</context>
<context>
    <name>Sending</name>
    <message>
        <source>Transfers</source>
        <translation>传输</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>报送(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Connect to the intake server…</source>
        <translation>连接报送服务器(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Submit this report…</source>
        <translation>报送本报告(&amp;S)…</translation>
    </message>
    <message>
        <source>Send &amp;queued reports now</source>
        <translation>立即发送队列中的报告(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Pause sending</source>
        <translation>暂停发送(&amp;P)</translation>
    </message>
    <message>
        <source>Ask the office&apos;s &amp;verdict</source>
        <translation>查询办公室审核结果(&amp;V)</translation>
    </message>
    <message>
        <source>Show the &amp;receipt…</source>
        <translation>查看回执(&amp;R)…</translation>
    </message>
    <message>
        <source>The report cannot be submitted yet</source>
        <translation>报告暂时不能报送</translation>
    </message>
    <message>
        <source>Fix these problems first:</source>
        <translation>请先改正以下问题：</translation>
    </message>
    <message>
        <source>&amp;Go to the first problem</source>
        <translation>转到第一个问题(&amp;G)</translation>
    </message>
    <message>
        <source>Submit the report?</source>
        <translation>报送这份报告？</translation>
    </message>
    <message>
        <source>Please note:</source>
        <translation>请注意：</translation>
    </message>
    <message>
        <source>Submit it anyway?</source>
        <translation>仍然报送吗？</translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) received by the office.</source>
        <translation>
            <numerusform>办公室已收到 %n 份报告。</numerusform>
        </translation>
    </message>
    <message>
        <source>The office&apos;s verdict</source>
        <translation>办公室审核结果</translation>
    </message>
    <message>
        <source>The office has not received this report completely yet.</source>
        <translation>办公室尚未完整收到这份报告。</translation>
    </message>
    <message>
        <source>Received; the office has not reviewed it yet.</source>
        <translation>已送达，办公室尚未审核。</translation>
    </message>
    <message>
        <source>Accepted by the office.</source>
        <translation>办公室已采纳。</translation>
    </message>
    <message>
        <source>Returned for revision. Edit the report (that starts revision %1) and submit it again.</source>
        <translation>已退回修改。请修改报告（将生成第 %1 版）后再次报送。</translation>
    </message>
    <message>
        <source>The office says: %1</source>
        <translation>办公室意见：%1</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>This report has no receipt yet.</source>
        <translation>这份报告还没有回执。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The standard folder for this user</source>
        <translation>本用户的默认数据文件夹</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>选择数据文件夹</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Default unit</source>
        <translation>默认报送单位</translation>
    </message>
    <message>
        <source>Edit my unit profile…</source>
        <translation>编辑本单位信息…</translation>
    </message>
    <message>
        <source>A new language or data folder takes effect when qmclient is started again.</source>
        <translation>更改界面语言或数据文件夹后，需重新启动程序才能生效。</translation>
    </message>
</context>
<context>
    <name>SubmissionModel</name>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>所属活动</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已送达</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>逾期 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今天截止</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>剩 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>(untitled report)</source>
        <translation>（未命名报告）</translation>
    </message>
    <message numerus="yes">
        <source>%n activities</source>
        <translation>
            <numerusform>%n 项活动</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photos and videos</source>
        <translation>
            <numerusform>%n 个图片和视频</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TransfersPanel</name>
    <message>
        <source>Connecting to the intake server…</source>
        <translation>正在连接报送服务器…</translation>
    </message>
    <message>
        <source>Checking the files before sending…</source>
        <translation>正在发送前核对文件…</translation>
    </message>
    <message>
        <source>Sending report %1: file %2 of %3</source>
        <translation>正在发送报告 %1：第 %2 个文件，共 %3 个</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>还需 %1</translation>
    </message>
    <message>
        <source>Asking the office for the receipt…</source>
        <translation>正在向办公室索取回执…</translation>
    </message>
    <message>
        <source>Report %1 was received. Receipt number: %2</source>
        <translation>报告 %1 已送达。回执编号：%2</translation>
    </message>
    <message>
        <source>Paused. What was sent is kept; Send now continues from there.</source>
        <translation>已暂停。已发送的部分会保留，点击“立即发送”从断点继续。</translation>
    </message>
    <message>
        <source>needs you</source>
        <translation>需要您处理</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>(untitled report)</source>
        <translation>（未命名报告）</translation>
    </message>
    <message>
        <source>Nothing is waiting.</source>
        <translation>没有等待发送的报告。</translation>
    </message>
    <message>
        <source>Nothing is being sent.</source>
        <translation>当前没有正在发送的内容。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Send now</source>
        <translation>立即发送(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Take out of queue</source>
        <translation>移出队列(&amp;T)</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Remove activity “%1”</source>
        <translation>删除活动“%1”</translation>
    </message>
</context>
<context>
    <name>ValidationPanel</name>
    <message>
        <source>Select a report to see what is missing.</source>
        <translation>选择一份报告，即可查看缺少的内容。</translation>
    </message>
    <message>
        <source>Nothing is missing: the report is complete.</source>
        <translation>内容齐全，报告可以报送。</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) must be fixed before the report can be handed in.</source>
        <translation>
            <numerusform>报送前必须修改 %n 个问题。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The report can be handed in; %n suggestion(s) below.</source>
        <translation>
            <numerusform>报告可以报送；下面有 %n 条建议。</numerusform>
        </translation>
    </message>
    <message>
        <source>Must be fixed (%1)</source>
        <translation>必须修改（%1）</translation>
    </message>
    <message>
        <source>Suggestions (%1)</source>
        <translation>建议完善（%1）</translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Forward to the unit…</source>
        <translation>转发给报送单位…</translation>
    </message>
    <message>
        <source>Receipt…</source>
        <translation>回执…</translation>
    </message>
    <message>
        <source>The office returned revision %1 for revision.</source>
        <translation>报送办公室已将第 %1 版退回修改。</translation>
    </message>
    <message>
        <source>The office says: %1</source>
        <translation>办公室意见：%1</translation>
    </message>
    <message>
        <source>You are editing revision %1; send it when ready.</source>
        <translation>您正在修改第 %1 版，改好后请再次报送。</translation>
    </message>
    <message>
        <source>Start revision %1</source>
        <translation>开始修改（第 %1 版）</translation>
    </message>
    <message>
        <source>The office accepted revision %1 (receipt %2).</source>
        <translation>报送办公室已通过第 %1 版（回执 %2）。</translation>
    </message>
    <message>
        <source>Revision %1 was received by the office: receipt %2.</source>
        <translation>第 %1 版已送达牵头单位，回执编号 %2。</translation>
    </message>
    <message>
        <source>The return note for the unit is in %1; send it to the unit.</source>
        <translation>给报送单位的退回说明已保存在 %1，请发给该单位。</translation>
    </message>
</context>
<context>
    <name>VerdictWatcher</name>
    <message>
        <source>(untitled report)</source>
        <translation>（未命名报告）</translation>
    </message>
    <message>
        <source>The office returned “%1” for revision.</source>
        <translation>报送办公室已将“%1”退回修改。</translation>
    </message>
    <message>
        <source>The office accepted “%1”.</source>
        <translation>报送办公室已通过“%1”。</translation>
    </message>
    <message>
        <source>The office&apos;s verdict</source>
        <translation>办公室审核意见</translation>
    </message>
    <message>
        <source>The intake server cannot be reached; the office&apos;s answers are fetched when it is back.</source>
        <translation>⚠ 暂时连不上报送服务器；恢复连接后会自动查询牵头单位的审核结果。</translation>
    </message>
    <message>
        <source>Connected again: the office&apos;s answers were fetched.</source>
        <translation>已重新连上报送服务器，并已查询牵头单位的审核结果。</translation>
    </message>
</context>
<context>
    <name>WindowChecks</name>
    <message numerus="yes">
        <source>%n problem(s) to fix.</source>
        <translation>
            <numerusform>有 %n 个问题需要修改。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is missing.</source>
        <translation>内容齐全，没有发现问题。</translation>
    </message>
</context>
<context>
    <name>WindowFiles</name>
    <message>
        <source>Add photos and videos</source>
        <translation>添加图片和视频</translation>
    </message>
    <message>
        <source>Photos and videos (%1);;All files (*)</source>
        <translation>图片和视频 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Add a folder of photos and videos</source>
        <translation>添加图片和视频所在的文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) added.</source>
        <translation>
            <numerusform>已添加 %n 个文件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import cancelled.</source>
        <translation>已取消添加。</translation>
    </message>
    <message>
        <source>Adding files stopped</source>
        <translation>添加文件中断</translation>
    </message>
    <message>
        <source>Adding files stopped: %1. The files added before are kept.</source>
        <translation>添加文件中断：%1。此前已添加的文件均已保留。</translation>
    </message>
    <message>
        <source>The files will be added as soon as the reports are open.</source>
        <translation>报告打开后将立即添加这些文件。</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Your unit profile was saved.</source>
        <translation>本单位信息已保存。</translation>
    </message>
    <message>
        <source>About qmclient</source>
        <translation>关于本程序</translation>
    </message>
    <message>
        <source>qmclient %1

Draft, check and hand in Quality Month activity summaries, offline first.

Data folder: %2</source>
        <translation>qmclient %1

质量月活动情况总结报送工具：离线填写、检查并报送活动总结。

数据文件夹：%2</translation>
    </message>
</context>
</TS>
