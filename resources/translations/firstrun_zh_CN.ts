<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="40"/>
        <source>Later</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="65"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="116"/>
        <source>The unified social credit code is not valid (18 characters, check the last one).</source>
        <translation>统一社会信用代码不正确（应为 18 位，请核对最后一位校验码）。</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="118"/>
        <source>The phone number is not valid (a mobile number or 0531 and 8 digits).</source>
        <translation>联系电话不正确（手机号码，或 0531 加 8 位座机号码）。</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="120"/>
        <source>The e-mail address is not valid.</source>
        <translation>电子邮箱地址不正确。</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="128"/>
        <source>Choose the campaign file first.</source>
        <translation>请先选择活动定义文件。</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="140"/>
        <location filename="../../forms/first_run_wizard.ui" line="99"/>
        <source>Campaign file</source>
        <translation>活动定义文件</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="140"/>
        <source>Campaign files (*.toml)</source>
        <translation>活动定义文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="152"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="165"/>
        <source>From the file %1</source>
        <translation>来自文件 %1</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="167"/>
        <source>From the endpoint %1; it is fetched at the first sync.</source>
        <translation>来自报送服务器 %1，将在第一次同步时获取。</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="170"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="6"/>
        <source>Set up qmclient</source>
        <translation>首次使用设置</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="10"/>
        <source>Your unit</source>
        <translation>您的单位</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="11"/>
        <source>Who is reporting? These details are filled into every new report. Only the unit name is needed now; you can complete the rest later.</source>
        <translation>由哪个单位报送？这些信息会自动填入每一份新报告。现在只需填写单位名称，其余可以以后补充。</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="16"/>
        <source>Unit type</source>
        <translation>单位类型</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="23"/>
        <source>District</source>
        <translation>所属区县</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="30"/>
        <source>Unit name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="41"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="52"/>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="59"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="66"/>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../qmclient/ui/first_run.py" line="170"/>
        <location filename="../../forms/first_run_wizard.ui" line="80"/>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="81"/>
        <source>Which campaign are you reporting for? The lead office publishes it with its notice.</source>
        <translation>您为哪一项活动报送材料？活动定义由牵头办公室随通知一同发布。</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="85"/>
        <source>A campaign that came with qmclient</source>
        <translation>程序自带的活动</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="92"/>
        <source>A campaign file from the lead office (.toml)</source>
        <translation>牵头办公室下发的活动定义文件（.toml）</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="104"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="111"/>
        <source>The lead office&apos;s endpoint (address from its notice)</source>
        <translation>牵头办公室的报送服务器（地址见通知）</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="132"/>
        <source>Ready</source>
        <translation>设置完成</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="133"/>
        <source>qmclient works offline: start drafting now, and send or export the report when it is complete.</source>
        <translation>本程序无需联网即可使用：现在就可以开始起草，材料齐全后再报送或导出。</translation>
    </message>
    <message>
        <location filename="../../forms/first_run_wizard.ui" line="144"/>
        <source>You can run this set-up again at any time from Help ▸ Set up qmclient.</source>
        <translation>以后可随时通过“帮助 ▸ 首次使用设置”重新进行设置。</translation>
    </message>
</context>
</TS>
